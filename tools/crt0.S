/* Startup code for applications built by elf2mac (see tools/README.md).
 * CODE 1's image (linked at address 0) starts with a 12-byte parameter
 * block that elf2mac fills in, then _start, where jump table entry 0 points.
 * _start finds where the Segment Loader put the image, applies the
 * relocation table elf2mac appended to CODE 1, clears the globals below A5,
 * flushes the caches (a 68040's copy-back data cache would otherwise hide
 * the patched code from instruction fetch), calls main(), then
 * _ExitToShell. The segment block at the end is copied by elf2mac to the
 * start of every other CODE segment, which relocates itself with it the
 * first time one of its jump table entries is called. */

	.section .text.mac_start,"ax"
/* Filled in by elf2mac: relocation table offset from the image start,
 * bytes of globals below A5 (.bss, then CODE 1's address at -4(A5)), and
 * .bss's link-time address. */
	.globl	__mac_params
__mac_params:
	.long	0, 0, 0

	.globl	_start
_start:
	lea	__mac_params(%pc),%a2		| a2: where the image was loaded
	move.l	%a2,%d3				| d3: delta for image addresses
	move.l	__mac_params(%pc),%d0		| relocation table offset
	lea	0(%a2,%d0.l),%a0
	move.l	(%a0)+,%d1			| number of image relocations
	bra.s	2f
1:	move.l	(%a0)+,%d0
	add.l	%d3,0(%a2,%d0.l)
2:	subq.l	#1,%d1
	bcc.s	1b

	move.l	%a5,%d4
	sub.l	__mac_params+4(%pc),%d4		| d4: globals base, A5 - below-A5 size
	move.l	%d4,%d5
	sub.l	__mac_params+8(%pc),%d5		| d5: delta for .bss addresses
	move.l	(%a0)+,%d1			| number of .bss relocations
	bra.s	4f
3:	move.l	(%a0)+,%d0
	add.l	%d5,0(%a2,%d0.l)
4:	subq.l	#1,%d1
	bcc.s	3b

	movea.l	%d4,%a1				| clear the globals
	move.l	__mac_params+4(%pc),%d1
	lsr.l	#2,%d1
	bra.s	6f
5:	clr.l	(%a1)+
6:	subq.l	#1,%d1
	bcc.s	5b
	move.l	%a2,-4(%a5)			| CODE 1's address, for other segments

	move.l	%a5,%d3				| jump table addresses: A5 + offset
	move.l	(%a0)+,%d1
	bra.s	8f
7:	move.l	(%a0)+,%d0
	add.l	%d3,0(%a2,%d0.l)
8:	subq.l	#1,%d1
	bcc.s	7b

	moveq	#3,%d0				| FlushDataCache: push the patched words
	.short	0xA198				| _HWPriv
	moveq	#1,%d0				| FlushInstructionCache
	.short	0xA198				| _HWPriv

#if defined(__mc68020__) || defined(__mc68030__) || defined(__mc68040__)
	bsr.l	main
#else
	bsr.w	main
#endif
	.short	0xA9F4				| _ExitToShell: never returns

/* The segment block: position-independent, copied by elf2mac to the start
 * of CODE 2, 3... (right after the 4-byte segment header). Each jump table
 * entry of such a segment points to a thunk "BSR.W __mac_segreloc; BRA.W
 * routine", so the segment fixes itself up before any of its code runs:
 *   - its references to itself, by how far it is from where they point
 *     now (it may have moved while unloaded, unlocked, if not purged);
 *   - once per copy read from the file: references to CODE 1 (-4(A5)), to
 *     .bss (A5 + bss_k) and to other segments' jump table entries (A5).
 * Parameters, filled in by elf2mac per segment: */
	.section .text.mac_segblock,"ax"
	.globl	__mac_segblock, __mac_segblock_end
__mac_segblock:
__mac_segparams:
	.long	0		| +0  address the self references assume (link address at first)
	.long	0		| +4  nonzero once the other lists are applied
	.long	0		| +8  image offset from __mac_segparams
	.long	0		| +12 relocation table offset from __mac_segparams
	.long	0		| +16 bss_k: .bss delta is A5 + bss_k
__mac_segreloc:
	movem.l	%d0-%d4/%a0-%a2,-(%sp)
	moveq	#0,%d4				| d4: nonzero once a word is patched
	lea	__mac_segparams(%pc),%a1
	move.l	%a1,%d1
	add.l	8(%a1),%d1			| d1: where the image is now
	movea.l	%d1,%a2
	movea.l	%a1,%a0
	adda.l	12(%a1),%a0			| a0: relocation table
	move.l	%d1,%d2
	sub.l	(%a1),%d2			| d2: distance moved since last time
	beq.s	1f
	move.l	%d1,(%a1)
	moveq	#1,%d4
	bsr.s	10f				| self references
	bra.s	2f
1:	move.l	(%a0)+,%d0			| not moved: skip that list
	lsl.l	#2,%d0
	adda.l	%d0,%a0
2:	tst.l	4(%a1)
	bne.s	3f
	moveq	#1,%d4
	move.l	%d4,4(%a1)
	move.l	-4(%a5),%d2			| references to CODE 1
	bsr.s	10f
	move.l	%a5,%d2				| references to .bss
	add.l	16(%a1),%d2
	bsr.s	10f
	move.l	%a5,%d2				| references to jump table entries
	bsr.s	10f
3:	tst.l	%d4
	beq.s	4f
	moveq	#3,%d0				| FlushDataCache
	.short	0xA198				| _HWPriv
	moveq	#1,%d0				| FlushInstructionCache
	.short	0xA198				| _HWPriv
4:	movem.l	(%sp)+,%d0-%d4/%a0-%a2
	rts
/* Adds d2 to the words listed at (a0)+ (count, offsets from a2). */
10:	move.l	(%a0)+,%d0
	bra.s	12f
11:	move.l	(%a0)+,%d3
	add.l	%d2,0(%a2,%d3.l)
12:	subq.l	#1,%d0
	bcc.s	11b
	rts
	.balign	2
__mac_segblock_end:

	.section .note.GNU-stack,"",@progbits
