/* Startup code for applications built by elf2mac. The image (linked at
 * address 0) starts with a 12-byte parameter block that elf2mac fills in,
 * then _start, where jump table entry 0 points. This code
 * finds where the Segment Loader put it, applies the relocation table
 * elf2mac appended to the segment, clears the globals below A5, flushes the
 * caches (a 68040's copy-back data cache would otherwise hide the patched
 * code from instruction fetch) and calls main(), then _ExitToShell. */

	.section .text.mac_start,"ax"
/* Filled in by elf2mac: relocation table offset from the image start,
 * bytes of globals below A5 (.bss), and .bss's link-time address. */
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

	.section .note.GNU-stack,"",@progbits
