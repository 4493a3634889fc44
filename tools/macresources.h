/* Resource Manager glue for 68K programs built by m68k-mac-build (Inside
 * Macintosh: More Macintosh Toolbox, ch. 1): each call is the trap word
 * with Pascal's stack convention (room for the result, arguments pushed
 * left to right; a Boolean or SignedByte as a word with the value in its
 * high byte). Operands are registers only: the pushes move SP. */
#ifndef VM68K_MACRESOURCES_H
#define VM68K_MACRESOURCES_H

#include "mactraps.h"

typedef uint32_t ResType;

enum {
	resNotFound = -192,
	resFNotFound = -193,
	addResFailed = -194,
	rmvResFailed = -196,
	resAttrErr = -198,
	mapReadErr = -199,
	eofErr = -39,
	fnfErr = -43,
	wPrErr = -44,
	dupFNErr = -48,
	wrPermErr = -61,
};

enum { resSysHeap = 64, resPurgeable = 32, resLocked = 16, resProtected = 8, resPreload = 4,
       resChanged = 2 };
enum { fsCurPerm = 0, fsRdPerm = 1, fsWrPerm = 2, fsRdWrPerm = 3 };

#define RM_CLOBBERS "d0", "a0", MAC_CLOBBERS

/* FUNCTION f(type: ResType; n: INTEGER): Handle — GetResource and kin. */
#define RM_TYPE_INT_TO_HANDLE(word, t, n, out)                                                    \
	__asm__ volatile("clr.l -(%%sp)\n\tmove.l %1,-(%%sp)\n\tmove.w %2,-(%%sp)\n\t.short " #word \
			 "\n\tmove.l (%%sp)+,%0"                                                   \
			 : "=d"(out)                                                               \
			 : "d"(t), "d"(n)                                                          \
			 : RM_CLOBBERS)
/* FUNCTION f(a: LONGINT-sized): INTEGER — CountResources, HomeResFile... */
#define RM_LONG_TO_INT(word, a, out)                                                               \
	__asm__ volatile("clr.w -(%%sp)\n\tmove.l %1,-(%%sp)\n\t.short " #word                     \
			 "\n\tmove.w (%%sp)+,%0"                                                   \
			 : "=d"(out)                                                               \
			 : "r"(a)                                                                  \
			 : RM_CLOBBERS)
#define RM_LONG_TO_LONG(word, a, out)                                                              \
	__asm__ volatile("clr.l -(%%sp)\n\tmove.l %1,-(%%sp)\n\t.short " #word                     \
			 "\n\tmove.l (%%sp)+,%0"                                                   \
			 : "=d"(out)                                                               \
			 : "r"(a)                                                                  \
			 : RM_CLOBBERS)
#define RM_VOID_TO_INT(word, out)                                                                  \
	__asm__ volatile("clr.w -(%%sp)\n\t.short " #word "\n\tmove.w (%%sp)+,%0"                  \
			 : "=d"(out)                                                               \
			 :                                                                         \
			 : RM_CLOBBERS)
/* PROCEDURE f(a: 4 bytes) and PROCEDURE f(n: INTEGER). */
#define RM_PROC_LONG(word, a)                                                                      \
	__asm__ volatile("move.l %0,-(%%sp)\n\t.short " #word : : "r"(a) : RM_CLOBBERS)
#define RM_PROC_INT(word, n)                                                                       \
	__asm__ volatile("move.w %0,-(%%sp)\n\t.short " #word : : "d"(n) : RM_CLOBBERS)

static inline Handle GetResource(ResType t, int16_t id)
{
	Handle h;
	RM_TYPE_INT_TO_HANDLE(0xA9A0, t, id, h);
	return h;
}
static inline Handle Get1Resource(ResType t, int16_t id)
{
	Handle h;
	RM_TYPE_INT_TO_HANDLE(0xA81F, t, id, h);
	return h;
}
static inline Handle GetIndResource(ResType t, int16_t index)
{
	Handle h;
	RM_TYPE_INT_TO_HANDLE(0xA99D, t, index, h);
	return h;
}
static inline Handle Get1IndResource(ResType t, int16_t index)
{
	Handle h;
	RM_TYPE_INT_TO_HANDLE(0xA80E, t, index, h);
	return h;
}

#define RM_TYPE_NAME_TO_HANDLE(word, t, name, out)                                                 \
	__asm__ volatile("clr.l -(%%sp)\n\tmove.l %1,-(%%sp)\n\tmove.l %2,-(%%sp)\n\t.short " #word \
			 "\n\tmove.l (%%sp)+,%0"                                                   \
			 : "=d"(out)                                                               \
			 : "d"(t), "r"(name)                                                       \
			 : RM_CLOBBERS)
static inline Handle GetNamedResource(ResType t, ConstStr255Param name)
{
	Handle h;
	RM_TYPE_NAME_TO_HANDLE(0xA9A1, t, name, h);
	return h;
}
static inline Handle Get1NamedResource(ResType t, ConstStr255Param name)
{
	Handle h;
	RM_TYPE_NAME_TO_HANDLE(0xA820, t, name, h);
	return h;
}

static inline int16_t CountResources(ResType t)
{
	int16_t n;
	RM_LONG_TO_INT(0xA99C, t, n);
	return n;
}
static inline int16_t Count1Resources(ResType t)
{
	int16_t n;
	RM_LONG_TO_INT(0xA80D, t, n);
	return n;
}
static inline int16_t CountTypes(void)
{
	int16_t n;
	RM_VOID_TO_INT(0xA99E, n);
	return n;
}
static inline int16_t Count1Types(void)
{
	int16_t n;
	RM_VOID_TO_INT(0xA81C, n);
	return n;
}
#define RM_IND_TYPE(word, out, index)                                                              \
	__asm__ volatile("move.l %0,-(%%sp)\n\tmove.w %1,-(%%sp)\n\t.short " #word                 \
			 :                                                                         \
			 : "r"(out), "d"(index)                                                    \
			 : RM_CLOBBERS)
static inline void GetIndType(ResType *t, int16_t index)
{
	RM_IND_TYPE(0xA99F, t, index);
}
static inline void Get1IndType(ResType *t, int16_t index)
{
	RM_IND_TYPE(0xA80F, t, index);
}

static inline void LoadResource(Handle h)
{
	RM_PROC_LONG(0xA9A2, h);
}
static inline void ReleaseResource(Handle h)
{
	RM_PROC_LONG(0xA9A3, h);
}
static inline void DetachResource(Handle h)
{
	RM_PROC_LONG(0xA992, h);
}
static inline void ChangedResource(Handle h)
{
	RM_PROC_LONG(0xA9AA, h);
}
static inline void WriteResource(Handle h)
{
	RM_PROC_LONG(0xA9B0, h);
}
static inline void RemoveResource(Handle h) /* _RmveResource */
{
	RM_PROC_LONG(0xA9AD, h);
}
static inline void CreateResFile(ConstStr255Param name)
{
	RM_PROC_LONG(0xA9B1, name);
}
static inline void UseResFile(int16_t refnum)
{
	RM_PROC_INT(0xA998, refnum);
}
static inline void CloseResFile(int16_t refnum)
{
	RM_PROC_INT(0xA99A, refnum);
}
static inline void UpdateResFile(int16_t refnum)
{
	RM_PROC_INT(0xA999, refnum);
}

static inline void GetResInfo(Handle h, int16_t *id, ResType *t, unsigned char *name)
{
	__asm__ volatile("move.l %0,-(%%sp)\n\tmove.l %1,-(%%sp)\n\tmove.l %2,-(%%sp)\n\t"
			 "move.l %3,-(%%sp)\n\t.short 0xA9A8"
			 :
			 : "r"(h), "r"(id), "r"(t), "r"(name)
			 : RM_CLOBBERS);
}
static inline void SetResInfo(Handle h, int16_t id, ConstStr255Param name)
{
	__asm__ volatile("move.l %0,-(%%sp)\n\tmove.w %1,-(%%sp)\n\tmove.l %2,-(%%sp)\n\t"
			 ".short 0xA9A9"
			 :
			 : "r"(h), "d"(id), "r"(name)
			 : RM_CLOBBERS);
}
static inline int16_t GetResAttrs(Handle h)
{
	int16_t a;
	RM_LONG_TO_INT(0xA9A6, h, a);
	return a;
}
static inline void SetResAttrs(Handle h, int16_t attrs)
{
	__asm__ volatile("move.l %0,-(%%sp)\n\tmove.w %1,-(%%sp)\n\t.short 0xA9A7"
			 :
			 : "r"(h), "d"(attrs)
			 : RM_CLOBBERS);
}
static inline int32_t SizeResource(Handle h) /* _SizeRsrc */
{
	int32_t n;
	RM_LONG_TO_LONG(0xA9A5, h, n);
	return n;
}
static inline int32_t MaxSizeRsrc(Handle h)
{
	int32_t n;
	RM_LONG_TO_LONG(0xA821, h, n);
	return n;
}
static inline int16_t HomeResFile(Handle h)
{
	int16_t n;
	RM_LONG_TO_INT(0xA9A4, h, n);
	return n;
}
static inline int16_t CurResFile(void)
{
	int16_t n;
	RM_VOID_TO_INT(0xA994, n);
	return n;
}
static inline void SetResLoad(int load)
{
	char b = load ? 1 : 0;
	__asm__ volatile("move.b %0,-(%%sp)\n\t.short 0xA99B" : : "d"(b) : RM_CLOBBERS);
}
static inline OSErr ResError(void)
{
	int16_t n;
	RM_VOID_TO_INT(0xA9AF, n);
	return n;
}
static inline int16_t OpenResFile(ConstStr255Param name)
{
	int16_t n;
	RM_LONG_TO_INT(0xA997, name, n);
	return n;
}
static inline int16_t OpenRFPerm(ConstStr255Param name, int16_t vref, int8_t perm)
{
	int16_t n;
	__asm__ volatile("clr.w -(%%sp)\n\tmove.l %1,-(%%sp)\n\tmove.w %2,-(%%sp)\n\t"
			 "move.b %3,-(%%sp)\n\t.short 0xA9C4\n\tmove.w (%%sp)+,%0"
			 : "=d"(n)
			 : "r"(name), "d"(vref), "d"(perm)
			 : RM_CLOBBERS);
	return n;
}
static inline int16_t HOpenResFile(int16_t vref, int32_t dir, ConstStr255Param name, int8_t perm)
{
	int16_t n;
	__asm__ volatile("clr.w -(%%sp)\n\tmove.w %1,-(%%sp)\n\tmove.l %2,-(%%sp)\n\t"
			 "move.l %3,-(%%sp)\n\tmove.b %4,-(%%sp)\n\t.short 0xA81A\n\t"
			 "move.w (%%sp)+,%0"
			 : "=d"(n)
			 : "d"(vref), "d"(dir), "r"(name), "d"(perm)
			 : RM_CLOBBERS);
	return n;
}
static inline void HCreateResFile(int16_t vref, int32_t dir, ConstStr255Param name)
{
	__asm__ volatile("move.w %0,-(%%sp)\n\tmove.l %1,-(%%sp)\n\tmove.l %2,-(%%sp)\n\t"
			 ".short 0xA81B"
			 :
			 : "d"(vref), "d"(dir), "r"(name)
			 : RM_CLOBBERS);
}
static inline void AddResource(Handle h, ResType t, int16_t id, ConstStr255Param name)
{
	__asm__ volatile("move.l %0,-(%%sp)\n\tmove.l %1,-(%%sp)\n\tmove.w %2,-(%%sp)\n\t"
			 "move.l %3,-(%%sp)\n\t.short 0xA9AB"
			 :
			 : "r"(h), "d"(t), "d"(id), "r"(name)
			 : RM_CLOBBERS);
}
enum { mapReadOnly = 128, mapCompact = 64, mapChanged = 32 };
static inline int16_t GetResFileAttrs(int16_t refnum)
{
	int16_t n;
	__asm__ volatile("clr.w -(%%sp)\n\tmove.w %1,-(%%sp)\n\t.short 0xA9F6\n\tmove.w (%%sp)+,%0"
			 : "=d"(n)
			 : "d"(refnum)
			 : RM_CLOBBERS);
	return n;
}
static inline void SetResFileAttrs(int16_t refnum, int16_t attrs)
{
	__asm__ volatile("move.w %0,-(%%sp)\n\tmove.w %1,-(%%sp)\n\t.short 0xA9F7"
			 :
			 : "d"(refnum), "d"(attrs)
			 : RM_CLOBBERS);
}
static inline int16_t UniqueID(ResType t)
{
	int16_t n;
	RM_LONG_TO_INT(0xA9C1, t, n);
	return n;
}
static inline int16_t Unique1ID(ResType t)
{
	int16_t n;
	RM_LONG_TO_INT(0xA810, t, n);
	return n;
}

#endif
