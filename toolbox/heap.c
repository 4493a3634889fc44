/* INTERIM: a first-fit allocator over the application heap's address range,
 * standing in until the Memory Manager (branch `mm`, toolbox/memory/) is
 * merged. It hands out nonrelocatable blocks only and keeps its bookkeeping
 * on the host side, so it does NOT lay zones, block headers or master
 * pointers out in guest memory as a real Mac does; NewPtr, DisposePtr and
 * GetPtrSize and the Segment Loader's segment copies use it. */
#include "config.h"

#include "toolbox/tb.h"

#include <string.h>

enum { HEAP_BLOCKS_MAX = 4096, memFullErr = -108, memWZErr = -111 };

static struct block {
	gaddr at;
	uint32_t size;
} blocks[HEAP_BLOCKS_MAX]; /* in use, sorted by address */
static unsigned nblocks;

gaddr tb_alloc(struct toolbox *tb, uint32_t size, bool clear)
{
	uint32_t need = (size + 15) & ~15u;
	if (need == 0)
		need = 16;
	if (nblocks == HEAP_BLOCKS_MAX || size > 0x7FFFFFF0u)
		return 0;
	gaddr at = tb->heap_lo;
	unsigned i = 0;
	for (; i < nblocks; i++) {
		if (blocks[i].at >= at && blocks[i].at - at >= need)
			break;
		at = blocks[i].at + (blocks[i].size ? (blocks[i].size + 15) & ~15u : 16);
	}
	if (i == nblocks && (at > tb->heap_hi || tb->heap_hi - at < need))
		return 0;
	memmove(&blocks[i + 1], &blocks[i], (nblocks - i) * sizeof blocks[0]);
	blocks[i] = (struct block){at, size};
	nblocks++;
	if (clear)
		tb_zero(tb, at, size);
	return at;
}

static int find(gaddr p)
{
	for (unsigned i = 0; i < nblocks; i++)
		if (blocks[i].at == p)
			return (int)i;
	return -1;
}

int tb_free(struct toolbox *tb, gaddr p)
{
	(void)tb;
	int i = find(p);
	if (i < 0)
		return memWZErr;
	memmove(&blocks[i], &blocks[i + 1], (nblocks - (unsigned)i - 1) * sizeof blocks[0]);
	nblocks--;
	return 0;
}

int32_t tb_block_size(struct toolbox *tb, gaddr p)
{
	(void)tb;
	int i = find(p);
	return i < 0 ? memWZErr : (int32_t)blocks[i].size;
}

NATIVE(NewPtr)
{
	struct cpu *c = &tb->cpu;
	/* CLEAR is flag bit 9 of the trap word; SYS (bit 10) gets the same
	 * range until the system heap exists. */
	gaddr p = tb_alloc(tb, c->d[0], call->word & 0x0200);
	c->a[0] = p;
	c->d[0] = p ? 0 : (uint32_t)memFullErr;
	wr16(tb, MemErr, c->d[0]);
}

NATIVE(DisposePtr)
{
	(void)call;
	struct cpu *c = &tb->cpu;
	c->d[0] = (uint32_t)tb_free(tb, c->a[0]);
	wr16(tb, MemErr, c->d[0]);
}

NATIVE(GetPtrSize)
{
	(void)call;
	struct cpu *c = &tb->cpu;
	int32_t n = tb_block_size(tb, c->a[0]);
	c->d[0] = (uint32_t)n;
	wr16(tb, MemErr, n < 0 ? (uint32_t)n : 0);
}

NATIVE(BlockMove)
{
	(void)call;
	struct cpu *c = &tb->cpu;
	gaddr src = c->a[0], dst = c->a[1];
	int32_t n = (int32_t)c->d[0];
	/* Byte by byte in the direction that survives an overlap (no host
	 * allocation: this runs under the sandbox's filter). */
	if (n > 0 && dst < src)
		for (int32_t i = 0; i < n; i++)
			wr8(tb, dst + (uint32_t)i, rd8(tb, src + (uint32_t)i));
	else if (n > 0)
		for (int32_t i = n - 1; i >= 0; i--)
			wr8(tb, dst + (uint32_t)i, rd8(tb, src + (uint32_t)i));
	c->d[0] = 0;
	wr16(tb, MemErr, 0);
}
