/* The Memory Manager under random operations checked against a shadow
 * model, with the heap checker after every step (in a zone that can grow
 * and in one that cannot), and on heaps a guest has scribbled on: every
 * call returns. Runs in 24-bit and 32-bit mode (tests/mm_harness.h).
 * MM_SEED=n in the environment replaces the fixed seed, for longer hunts. */
#include "config.h"

#include "tests/mm_harness.h"

/* ---- a damaged heap ---- */

static void damaged_heap_never_hangs_or_escapes_the_window(void **state)
{
	(void)state;
	/* In 24-bit mode every address lands in the 16 MiB window, so whatever
	 * the damage, the Memory Manager can only touch guest memory; what is
	 * tested is that every call returns. (In 32-bit mode a wild pointer
	 * would leave this test's plain window: the pager test covers that.) */
	if (mode32)
		skip();
	rng = 99;
	unsigned refused = 0;
	for (int round = 0; round < 150; round++) {
		struct mm_layout l = {.sys_start = SYS_START,
				      .sys_end = SYS_END,
				      .appl_start = APPL_START,
				      .appl_end = APPL_END,
				      .appl_limit = APPL_LIMIT,
				      .temp_start = TEMP_START,
				      .temp_end = TEMP_END,
				      .mem_top = MEM_TOP};
		assert_int_equal(mm_init(&mm, win, 0x00FFFFFF, false, &l), 0);
		gaddr hs[16];
		for (int i = 0; i < 16; i++) {
			hs[i] = rnd(3) ? NewHandle(&mm, (int32_t)rnd(3000))
				       : NewPtr(&mm, (int32_t)rnd(3000));
			if (rnd(4) == 0)
				HLock(&mm, hs[i]);
			if (rnd(4) == 0)
				HPurge(&mm, hs[i]);
		}
		gaddr lim = r32(APPL_START) & 0xFFFFFF;
		for (int k = 0; k < 1 + (int)rnd(6); k++)
			w8(APPL_START + rnd(lim - APPL_START), rnd(256));
		for (int op = 0; op < 40; op++) {
			gaddr h = hs[rnd(16)];
			switch (rnd(10)) {
			case 0:
				SetHandleSize(&mm, h, (int32_t)rnd(5000));
				break;
			case 1:
				DisposeHandle(&mm, h);
				break;
			case 2:
				MoveHHi(&mm, h);
				break;
			case 3:
				CompactMem(&mm, 0x7FFFFF);
				break;
			case 4:
				PurgeMem(&mm, 0x7FFFFF);
				break;
			case 5:
				NewHandle(&mm, (int32_t)rnd(9000));
				break;
			case 6:
				NewPtr(&mm, (int32_t)rnd(9000));
				break;
			case 7: {
				int32_t g;
				MaxMem(&mm, &g);
				break;
			}
			case 8:
				SetPtrSize(&mm, h, (int32_t)rnd(5000));
				break;
			default:
				ResrvMem(&mm, (int32_t)rnd(9000));
			}
		}
		char why[200];
		refused += !mm_check_zone(&mm, APPL_START, why, sizeof why);
	}
	print_message("damaged heaps: %u of 150 reported by the checker at the end\n", refused);
}

/* ---- randomized stress against a shadow model ---- */

struct shadow {
	gaddr h; /* handle, or pointer for nonrelocatable */
	bool ptr;
	bool sys;
	int32_t size;
	uint8_t seed;
	bool locked, purgeable, empty;
	gaddr where; /* data address when locked or nonrelocatable */
};

static int cur_step, last_op;
static void verify_shadow(struct shadow *s, int n)
{
	for (int i = 0; i < n; i++) {
		struct shadow *x = &s[i];
		if (x->ptr) {
			if (GetPtrSize(&mm, x->h) != x->size)
				fprintf(stderr, "step %d op %d: ptr %08X size %d want %d\n",
					cur_step, last_op, x->h, GetPtrSize(&mm, x->h), x->size);
			assert_int_equal(GetPtrSize(&mm, x->h), x->size);
			assert_true(has_pattern(x->h, (uint32_t)x->size, x->seed));
			continue;
		}
		if (!x->empty && r32(x->h) == 0) {
			/* Purged behind our back: allowed only if purgeable and unlocked. */
			assert_true(x->purgeable && !x->locked);
			x->empty = true;
		}
		if (x->empty) {
			assert_int_equal(r32(x->h), 0);
			continue;
		}
		if (GetHandleSize(&mm, x->h) != x->size) {
			fprintf(stderr, "step %d op %d: handle %08X size %d want %d\n", cur_step,
				last_op, x->h, GetHandleSize(&mm, x->h), x->size);
			mm_dump_zone(&mm, HandleZone(&mm, x->h), stderr);
		}
		assert_int_equal(GetHandleSize(&mm, x->h), x->size);
		if (x->locked)
			assert_int_equal(deref(x->h), x->where);
		assert_true(has_pattern(deref(x->h), (uint32_t)x->size, x->seed));
		int32_t st = HGetState(&mm, x->h);
		assert_int_equal(!!(st & 0x80), x->locked);
		assert_int_equal(!!(st & 0x40), x->purgeable);
	}
}

static void run_stress(bool tight)
{
	enum { MAX = 400, STEPS = 3000 };
	if (tight) /* the application zone may not grow: more purging and moving */
		SetApplLimit(&mm, r32(0x114) + (mode32 ? 16 : 12));
	struct shadow *s = calloc(MAX, sizeof *s);
	int n = 0;
	rng = mode32 ? 777 : 4242;
	if (getenv("MM_SEED"))
		rng = (uint32_t)atoi(getenv("MM_SEED"));
	unsigned fails = 0, moves = 0;
	for (int step = 0; step < STEPS; step++) {
		unsigned op = rnd(100);
		cur_step = step;
		last_op = (int)op;
		int i = n ? (int)rnd((uint32_t)n) : -1;
		struct shadow *x = i >= 0 ? &s[i] : NULL;
		int32_t size = (int32_t)(rnd(8) == 0 ? rnd(40000) : rnd(600));
		if (op < 30 && n < MAX) { /* new block */
			struct shadow nx = {.ptr = rnd(4) == 0,
					    .sys = rnd(8) == 0,
					    .size = size,
					    .seed = (uint8_t)rnd(256)};
			uint16_t flags = nx.sys ? mm_trapSys : 0;
			nx.h =
			    nx.ptr ? mm_new_ptr(&mm, size, flags) : mm_new_handle(&mm, size, flags);
			if (!nx.h) {
				assert_int_equal(MemError(&mm), memFullErr);
				fails++;
			} else {
				gaddr d = nx.ptr ? nx.h : deref(nx.h);
				fill_pattern(d, (uint32_t)size, nx.seed);
				nx.where = d;
				s[n++] = nx;
			}
		} else if (op < 45 && x) { /* dispose */
			if (x->ptr)
				assert_int_equal(DisposePtr(&mm, x->h), 0);
			else
				assert_int_equal(DisposeHandle(&mm, x->h), 0);
			s[i] = s[--n];
		} else if (op < 60 && x && !x->empty) { /* resize */
			gaddr before = x->ptr ? x->h : deref(x->h);
			OSErr e =
			    x->ptr ? SetPtrSize(&mm, x->h, size) : SetHandleSize(&mm, x->h, size);
			if (e) {
				assert_int_equal(e, memFullErr);
				fails++;
			} else {
				gaddr d = x->ptr ? x->h : deref(x->h);
				if (d != before)
					moves++;
				assert_true(has_pattern(
				    d, (uint32_t)(size < x->size ? size : x->size), x->seed));
				fill_pattern(d, (uint32_t)size, x->seed);
				x->size = size;
			}
		} else if (op < 70 && x && !x->ptr && !x->empty) { /* lock / unlock */
			x->locked = !x->locked;
			assert_int_equal(x->locked ? HLock(&mm, x->h) : HUnlock(&mm, x->h), 0);
			x->where = deref(x->h);
		} else if (op < 78 && x && !x->ptr && !x->empty) { /* purgeable or not */
			x->purgeable = !x->purgeable;
			assert_int_equal(x->purgeable ? HPurge(&mm, x->h) : HNoPurge(&mm, x->h), 0);
		} else if (op < 82 && x && !x->ptr) { /* empty / reallocate */
			if (x->empty) {
				OSErr e = ReallocateHandle(&mm, x->h, size);
				if (!e) {
					x->empty = false;
					x->locked = x->purgeable = false;
					x->size = size;
					fill_pattern(deref(x->h), (uint32_t)size, x->seed);
				} else {
					assert_int_equal(e, memFullErr);
				}
			} else if (!x->locked) {
				assert_int_equal(EmptyHandle(&mm, x->h), 0);
				x->empty = true;
			} else {
				assert_int_equal(EmptyHandle(&mm, x->h), memPurErr);
			}
		} else if (op < 88 && x && !x->ptr && !x->empty) { /* MoveHHi */
			OSErr e = MoveHHi(&mm, x->h);
			assert_int_equal(e, x->locked ? memLockedErr : 0);
		} else if (op < 92) {
			SetZone(&mm, rnd(2) ? SYS_START : APPL_START);
			CompactMem(&mm, (int32_t)rnd(100000));
			SetZone(&mm, APPL_START);
		} else if (op < 94) {
			PurgeMem(&mm, (int32_t)rnd(100000));
		} else if (op < 96) {
			ResrvMem(&mm, size);
		} else if (op < 97) {
			int32_t grow;
			MaxMem(&mm, &grow);
		} else if (op < 98) {
			int32_t t, c;
			PurgeSpace(&mm, &t, &c);
			assert_true(c <= t);
		}
		assert_zone_sound(APPL_START);
		assert_zone_sound(SYS_START);
		verify_shadow(s, n);
	}
	print_message("stress (%s, %s zone): %d live blocks, %u refusals, %u moves on resize, "
		      "%lu compactions, %lu purges\n",
		      mode32 ? "32-bit" : "24-bit", tight ? "fixed" : "growing", n, fails, moves,
		      mm.compactions, mm.purges);
	free(s);
}

static void random_operations_keep_the_heap_sound(void **state)
{
	(void)state;
	run_stress(false);
}

static void random_operations_in_a_full_zone_keep_the_heap_sound(void **state)
{
	(void)state;
	run_stress(true);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static const struct CMUnitTest tests[] = {
    TEST(damaged_heap_never_hangs_or_escapes_the_window),
    TEST(random_operations_keep_the_heap_sound),
    TEST(random_operations_in_a_full_zone_keep_the_heap_sound),
};

int main(void)
{
	mode32 = false;
	int failed =
	    cmocka_run_group_tests_name("memory manager stress, 24-bit", tests, NULL, NULL);
	mode32 = true;
	failed += cmocka_run_group_tests_name("memory manager stress, 32-bit", tests, NULL, NULL);
	return failed ? 1 : 0;
}
