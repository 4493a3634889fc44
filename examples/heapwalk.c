/* heapwalk: the VM Technote's "Sensible Memory Management": "if your memory
 * management system looks at every block in the heap when a block is
 * freed, it has pathologically bad VM performance". Two allocators share
 * one heap, a pool a little larger than physical memory filled with
 * long-lived blocks (each block's header on its own page, as objects of a
 * few KB put them). Then each does the same small job, freeing and
 * reallocating a few hot blocks at the start of the pool:
 *   - the walking free looks at every block header after each free (to
 *     find the largest free block, as a coalescing allocator would), so every
 *     free touches every page of the heap, cold ones included;
 *   - the free-list free only pushes the block on a list, touching its
 *     own header.
 * The page faults each job took come from vm68k's Gestalt selectors. */
#include "report.h"

enum { BLOCK = 5000, HOT = 8, OPERATIONS = 20 };

typedef struct Header {
	int32_t size; /* bytes, header included */
	int32_t free;
	struct Header *next_free; /* the free list (free-list allocator only) */
} Header;

static char *heap, *heap_end;
static Header *free_list;
static int32_t largest_free; /* what the walking allocator keeps up to date */

static Header *at(char *p)
{
	return (Header *)p;
}

/* Carves the pool into blocks of BLOCK bytes, all in use, their payloads
 * written (long-lived data: the pages are dirty). */
static int32_t fill_pool(void)
{
	int32_t n = 0;
	for (char *p = heap; p + BLOCK <= heap_end; p += BLOCK, n++) {
		Header *h = at(p);
		h->size = BLOCK;
		h->free = 0;
		h->next_free = 0;
		for (int32_t i = sizeof(Header); i < BLOCK; i += 512)
			p[i] = (char)n;
	}
	heap_end = heap + n * BLOCK;
	return n;
}

/* ---- The VM-unfriendly allocator: every free walks the heap ---- */

static void walking_free(Header *h)
{
	h->free = 1;
	largest_free = 0;
	for (char *p = heap; p < heap_end; p += at(p)->size) {
		Header *b = at(p);
		/* A real allocator would also merge free neighbours here; finding
		 * the largest free block already reads every header. */
		if (b->free && b->size > largest_free)
			largest_free = b->size;
	}
}

static Header *walking_alloc(void)
{
	for (char *p = heap; p < heap_end; p += at(p)->size)
		if (at(p)->free) {
			at(p)->free = 0;
			return at(p);
		}
	return 0;
}

/* ---- The VM-friendly allocator: a free list ---- */

static void list_free(Header *h)
{
	h->free = 1;
	h->next_free = free_list;
	free_list = h;
}

static Header *list_alloc(void)
{
	Header *h = free_list;
	if (h) {
		free_list = h->next_free;
		h->free = 0;
	}
	return h;
}

/* The job: free the hot blocks one by one and allocate again; returns the
 * hard page faults it took, or -1 if an allocation failed. */
static int32_t job(void (*release)(Header *), Header *(*obtain)(void))
{
	int32_t f0 = hard_faults();
	for (int op = 0; op < OPERATIONS; op++) {
		Header *h = at(heap + (op % HOT) * BLOCK);
		release(h);
		Header *again = obtain();
		if (again == 0)
			return -1;
		((char *)again)[sizeof(Header)] = (char)op; /* use it */
	}
	return hard_faults() - f0;
}

int main(void)
{
	Line l;
	int32_t ram = vm_counter(0x72616D20u); /* 'ram ' */
	int32_t size = ram / 4 * 5;	       /* 125% of physical memory */
	Ptr pool = 0;
	while (size >= 256 * 1024 && (pool = NewPtr(size)) == 0)
		size -= size / 8;
	if (pool == 0) {
		DebugStr(PSTR("heapwalk: no memory for the pool"));
		return 1;
	}
	heap = pool;
	heap_end = pool + size;
	int32_t blocks = fill_pool();

	int32_t friendly = job(list_free, list_alloc);
	int32_t walking = job(walking_free, walking_alloc);
	if (friendly < 0 || walking < 0) {
		DebugStr(PSTR("heapwalk: an allocation failed"));
		return 1;
	}
	line_start(&l);
	line_field(&l, "heapwalk: heap of ", blocks);
	line_field(&l, " blocks (", size / 1024);
	line_field(&l, "K, physical memory ", ram / 1024);
	line_field(&l, "K), ", OPERATIONS);
	line_text(&l, " frees and allocations each");
	line_say(&l);
	line_start(&l);
	line_field(&l, "heapwalk: free list: ", friendly);
	line_text(&l, " page faults");
	line_say(&l);
	line_start(&l);
	line_field(&l, "heapwalk: walking free: ", walking);
	line_field(&l, " page faults (largest free block ", largest_free);
	line_text(&l, " bytes)");
	line_say(&l);
	DisposePtr(pool);
	return 0;
}
