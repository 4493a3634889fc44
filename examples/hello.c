/* hello: the smallest vm68k example. It allocates a block with NewPtr, holds
 * it with HoldMemory, fills it, checks it, and reports through DebugStr,
 * using globals both initialized (in CODE 1) and zeroed (below A5) and
 * pointers between them, so elf2mac's relocations are exercised. */
#include "mactraps.h"

static const char greeting[] = "hello from a 68K Mac application";
static const char *message = greeting; /* an image address, relocated */
static int32_t fills;		       /* below A5 */
static int32_t *fills_at = &fills;     /* a below-A5 address, relocated */
static const unsigned char ok_text[] = "\x02ok";
static const unsigned char *verdict = ok_text;

static int32_t fill(Ptr p, Size n)
{
	int32_t sum = 0;
	for (Size i = 0; i < n; i++) {
		p[i] = (char)message[i % (Size)(sizeof greeting - 1)];
		sum += (unsigned char)p[i];
	}
	(*fills_at)++;
	return sum;
}

int main(void)
{
	uint32_t start = TickCount();
	Size n = 64 * 1024;
	Ptr p = NewPtr(n);
	if (p == 0) {
		DebugStr(PSTR("NewPtr failed"));
		return 1;
	}
	OSErr held = HoldMemory(p, (uint32_t)n);
	int32_t a = fill(p, n), b = fill(p, n);
	if (held == noErr)
		UnholdMemory(p, (uint32_t)n);
	DisposePtr(p);
	if (a != b || fills != 2)
		DebugStr(PSTR("fill mismatch"));
	else
		DebugStr(verdict);
	if (TickCount() - start > 60 * 60)
		SysBeep(1);
	return 0;
}
