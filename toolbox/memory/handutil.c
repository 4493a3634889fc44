/* toolbox/memory/handutil.c: copying between pointers and handles
 * (HandToHand, PtrToHand, PtrToXHand, HandAndHand, PtrAndHand; Inside
 * Macintosh: Memory, "Manipulating Blocks of Memory"). Sources are read
 * after every allocation, since allocating may move a relocatable source. */
#include "config.h"

#include "toolbox/memory/mm_internal.h"

static gaddr deref(struct mm *m, gaddr h)
{
	return strip(m, rd32(m, strip(m, h)));
}

OSErr HandToHand(struct mm *m, gaddr *theHndl)
{
	int32_t size = GetHandleSize(m, *theHndl);
	if (size < 0)
		return set_mem_err(m, (OSErr)size);
	gaddr src = *theHndl;
	/* The copy belongs to the current zone, whatever the original's. */
	gaddr h = NewHandle(m, size);
	if (!h)
		return MemError(m);
	copy_guest(m, deref(m, src), deref(m, h), (uint32_t)size);
	*theHndl = h;
	return set_mem_err(m, mm_noErr);
}

OSErr PtrToHand(struct mm *m, gaddr srcPtr, gaddr *dstHndl, int32_t size)
{
	gaddr h = NewHandle(m, size);
	if (!h)
		return MemError(m);
	copy_guest(m, strip(m, srcPtr), deref(m, h), (uint32_t)size);
	*dstHndl = h;
	return set_mem_err(m, mm_noErr);
}

OSErr PtrToXHand(struct mm *m, gaddr srcPtr, gaddr dstHndl, int32_t size)
{
	OSErr e = SetHandleSize(m, dstHndl, size);
	if (e)
		return e;
	copy_guest(m, strip(m, srcPtr), deref(m, dstHndl), (uint32_t)size);
	return set_mem_err(m, mm_noErr);
}

OSErr HandAndHand(struct mm *m, gaddr aHndl, gaddr bHndl)
{
	int32_t a = GetHandleSize(m, aHndl);
	if (a < 0)
		return set_mem_err(m, (OSErr)a);
	int32_t b = GetHandleSize(m, bHndl);
	if (b < 0)
		return set_mem_err(m, (OSErr)b);
	OSErr e = SetHandleSize(m, bHndl, a + b);
	if (e)
		return e;
	copy_guest(m, deref(m, aHndl), deref(m, bHndl) + (uint32_t)b, (uint32_t)a);
	return set_mem_err(m, mm_noErr);
}

OSErr PtrAndHand(struct mm *m, gaddr ptr1, gaddr hand2, int32_t size)
{
	if (size < 0)
		return set_mem_err(m, memSCErr);
	int32_t b = GetHandleSize(m, hand2);
	if (b < 0)
		return set_mem_err(m, (OSErr)b);
	OSErr e = SetHandleSize(m, hand2, b + size);
	if (e)
		return e;
	copy_guest(m, strip(m, ptr1), deref(m, hand2) + (uint32_t)b, (uint32_t)size);
	return set_mem_err(m, mm_noErr);
}
