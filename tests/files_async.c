/* Asynchronous File Manager calls with a completion routine (trap bit 10,
 * ioCompletion): vm68k runs the call before the trap returns, so ioResult
 * already holds the result, and the completion routine runs afterwards at
 * interrupt time (level 1) with A0 = the parameter block and D0 = its
 * ioResult, once per call: a read that succeeds and one on a closed file.
 * Reports "async ok" or the failed checks (bits). Built and run by
 * tests/rsrc_test.sh with a --volume-rw. */
#include "macfiles.h"
#include "macresources.h" /* fsRdWrPerm */
#include "vm_traps.h"

enum { rfNumErr = -51, fsFromStart = 1 };

static struct {
	void *pb[4];
	int32_t d0[4];
	uint16_t sr[4];
	volatile uint32_t n;
} done;

void completion_c(void *pb, int32_t d0)
{
	uint16_t sr;
	__asm__ volatile("move.w %%sr,%0" : "=d"(sr));
	if (done.n < 4) {
		done.pb[done.n] = pb;
		done.d0[done.n] = d0;
		done.sr[done.n] = sr;
	}
	done.n++;
}

/* The routine gets A0 and D0: hand them to C as its two arguments. */
extern char completion[];
__asm__(".text\n"
	"completion:\n"
	"	move.l %d0,-(%sp)\n"
	"	move.l %a0,-(%sp)\n"
	"	lea completion_c(%pc),%a1\n"
	"	jsr (%a1)\n"
	"	addq.l #8,%sp\n"
	"	rts\n");

static void wait_for(uint32_t n)
{
	for (uint32_t i = 0; i < 100000 && done.n < n; i++)
		;
}

int main(void)
{
	static HFileInfo fi;
	static IOParam io;
	static char buf[8];
	uint32_t bad = 0;
	fi.ioNamePtr = (unsigned char *)PSTR("async.txt");
	PBCreateSync(&fi);
	io.ioNamePtr = (unsigned char *)PSTR("async.txt");
	io.ioPermssn = fsRdWrPerm;
	bad |= (PBOpenSync(&io) != noErr) << 0;
	char text[] = "hello";
	io.ioBuffer = text;
	io.ioReqCount = 5;
	io.ioPosMode = fsFromStart;
	io.ioPosOffset = 0;
	bad |= (PBWriteSync(&io) != noErr) << 1;

	/* A read that succeeds. */
	io.ioCompletion = completion;
	io.ioBuffer = buf;
	io.ioReqCount = 5;
	io.ioPosMode = fsFromStart;
	io.ioPosOffset = 0;
	PBReadAsync(&io);
	bad |= (io.ioResult != noErr || io.ioActCount != 5) << 2;
	wait_for(1);
	bad |= (done.n != 1) << 3;
	bad |= (done.pb[0] != &io || done.d0[0] != noErr) << 4;
	bad |= ((done.sr[0] & 0x0700) != 0x0100) << 5; /* at interrupt level 1 */
	bad |= (buf[0] != 'h' || buf[4] != 'o') << 6;

	/* The file closed: the routine gets rfNumErr. */
	io.ioCompletion = 0;
	bad |= (PBCloseSync(&io) != noErr) << 7;
	io.ioCompletion = completion;
	PBReadAsync(&io);
	bad |= (io.ioResult != rfNumErr) << 8;
	wait_for(2);
	bad |= (done.n != 2 || done.pb[1] != &io || done.d0[1] != rfNumErr) << 9;
	/* Nothing more comes. */
	wait_for(3);
	bad |= (done.n != 2) << 10;
	report("async", bad);
	return 0;
}
