/* An application that changes its own resource file. Run from a MacBinary
 * file, or from a volume that is not read-write, it is read-only (its fork
 * is a copy in memory) and says "read-only". Run as a data file with its
 * "._" sidecar on a --volume-rw, its resource file is the file there,
 * writable: it adds or increments a 'CNT ' 128 counter and says "count N";
 * its CODE segments then come from the file through the File Manager. Run
 * by tests/rsrc_test.sh. */
#include "macresources.h"
#include "rsrc_check.h"

#define T_CNT 0x434E5420u
#define T_CODE 0x434F4445u

/* Read-only: changes are refused, and the file stays as it was. */
static void read_only(int16_t app)
{
	CHECK(app == 1, app);
	Handle h = NewHandle(4);
	AddResource(h, T_CNT, 128, PSTR("runs"));
	CHECK(ResError() == addResFailed, ResError());
	UpdateResFile(app);
	CHECK(ResError() == noErr, ResError()); /* nothing changed: nothing to write */
	if (check_failures == 0)
		DebugStr(PSTR("read-only"));
}

static void count(int16_t app)
{
	CHECK(app != 1, app); /* not the copy in memory */
	Handle code = GetResource(T_CODE, 1);
	CHECK(code != 0 && HomeResFile(code) == app, HomeResFile(code));
	Handle h = Get1Resource(T_CNT, 128);
	int32_t n;
	if (h == 0) {
		h = NewHandle(4);
		n = *(int32_t *)*h = 1;
		AddResource(h, T_CNT, 128, PSTR("runs"));
		CHECK(ResError() == noErr, ResError());
		UpdateResFile(app);
	} else {
		n = ++*(int32_t *)*h;
		ChangedResource(h);
		WriteResource(h);
	}
	CHECK(ResError() == noErr, ResError());
	if (check_failures == 0) {
		unsigned char s[] = "\007count ?";
		s[7] = (unsigned char)('0' + n % 10);
		DebugStr(s);
	}
}

int main(void)
{
	int16_t app = CurResFile();
	if (GetResFileAttrs(app) & mapReadOnly)
		read_only(app);
	else
		count(app);
	return 0;
}
