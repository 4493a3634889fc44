/* password: the VM Technote's "VM and Passwords". A program asks for a
 * password, authenticates, then clears the password from memory; if VM
 * paged the buffer out in between, a copy stays in the backing store after
 * the clear. The fix: HoldMemory the buffer before the password is typed
 * and UnholdMemory it after the clear.
 *
 * This program "types" two secrets (there is no keyboard: they are fixed
 * strings, kept XOR-masked in the program so that the only plain copies
 * in memory are the two buffers): one into an unheld buffer, one into a
 * held one. It then pages heavily (sweeps twice physical memory), as a
 * long authentication might, clears both buffers and exits. Scan the
 * backing store afterwards:
 *   vm68k run --backing-store store --example password
 *   grep -c UNHELD-tr0ub4dor store   # found: the unheld copy was paged out
 *   grep -c HELD-c0rrect-h0rse store # not found */
#include "report.h"

enum { PAGE = 4096, MASK = 0x5A };

/* The secrets, each byte XOR MASK (see the comment at the top). */
static const unsigned char unheld_secret[] = {
#define X(c) (unsigned char)((c) ^ MASK)
    X('U'), X('N'), X('H'), X('E'), X('L'), X('D'), X('-'), X('t'), X('r'), X('0'), X('u'), X('b'),
    X('4'), X('d'), X('o'), X('r'), X('-'), X('s'), X('e'), X('c'), X('r'), X('e'), X('t')};
static const unsigned char held_secret[] = {X('H'), X('E'), X('L'), X('D'), X('-'), X('c'), X('0'),
					    X('r'), X('r'), X('e'), X('c'), X('t'), X('-'), X('h'),
					    X('0'), X('r'), X('s'), X('e'), X('-'), X('s'), X('e'),
					    X('c'), X('r'), X('e'), X('t')};
#undef X

/* "Typing": one key at a time into the buffer. */
static void type_into(volatile char *buf, const unsigned char *masked, int n)
{
	for (int i = 0; i < n; i++)
		buf[i] = (char)(masked[i] ^ MASK);
	buf[n] = 0;
}

static void clear(volatile char *buf, int n)
{
	for (int i = 0; i <= n; i++)
		buf[i] = 0;
}

/* A page of its own for each buffer: holding rounds out to whole pages. */
static volatile char *page_of(Ptr p)
{
	return (volatile char *)(((uint32_t)p + PAGE - 1) & ~(uint32_t)(PAGE - 1));
}

int main(void)
{
	Line l;
	int32_t ram = vm_counter(0x72616D20u); /* 'ram ' */
	int32_t vm = vm_counter(0x766D2020u);  /* 'vm  ' */
	Ptr a = NewPtr(2 * PAGE), b = NewPtr(2 * PAGE);
	if (a == 0 || b == 0) {
		DebugStr(PSTR("password: no memory for the buffers"));
		return 1;
	}
	volatile char *unheld = page_of(a), *held = page_of(b);

	/* Step 0: hold the buffer before the password is typed. */
	OSErr e = HoldMemory((const void *)held, PAGE);
	if (e != noErr && (vm & 1)) {
		line_start(&l);
		line_field(&l, "password: HoldMemory failed: ", e);
		line_say(&l);
		return 1;
	}
	/* Step 1: the password is typed. */
	type_into(unheld, unheld_secret, sizeof unheld_secret);
	type_into(held, held_secret, sizeof held_secret);

	/* Step 2: "authentication" that makes the system page: sweep twice
	 * physical memory, so every unheld page not in use is evicted, and
	 * a dirty one written to the backing store. */
	int32_t size = 2 * ram;
	Ptr work = 0;
	while (size >= 64 * 1024 && (work = NewPtr(size)) == 0)
		size -= size / 8;
	int32_t outs0 = vm_counter(gestaltVM68KPageOuts);
	if (work != 0) {
		for (int pass = 0; pass < 2; pass++)
			for (int32_t i = 0; i < size; i += PAGE)
				work[i] = (char)pass;
		DisposePtr(work);
	}
	int32_t outs = vm_counter(gestaltVM68KPageOuts) - outs0;

	/* Step 3: the password is cleared, then the buffer unheld. The program
	 * ends at once, as if the system crashed before VM paged the cleared
	 * buffer out again: the backing store keeps what it last wrote. */
	clear(unheld, sizeof unheld_secret);
	clear(held, sizeof held_secret);
	if (e == noErr)
		UnholdMemory((const void *)held, PAGE);

	line_start(&l);
	line_text(&l, "password: typed into an unheld buffer and a held one (held: ");
	line_text(&l, e == noErr ? "yes" : "no, VM off");
	line_field(&l, "), paged out ", outs);
	line_text(&l, " pages meanwhile, cleared both");
	line_say(&l);
	DisposePtr(a);
	DisposePtr(b);
	return 0;
}
