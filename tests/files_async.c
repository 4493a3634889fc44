/* An asynchronous File Manager call with a completion routine: vm68k runs
 * File Manager calls synchronously and does not call completion routines
 * yet, so the run must stop there, naming the call, rather than carry on
 * as if the routine had run. Built and run by tests/rsrc_test.sh. */
#include "macfiles.h"

static void completion(void)
{
}

int main(void)
{
	static IOParam io;
	static char buf[4];
	io.ioCompletion = (void *)completion;
	io.ioRefNum = 2;
	io.ioBuffer = buf;
	io.ioReqCount = 4;
	DebugStr(PSTR("before"));
	PBReadAsync(&io);
	DebugStr(PSTR("after"));
	return 0;
}
