/* The Memory Manager on real zone and block layouts in guest memory: every
 * call, both header formats checked byte by byte, compaction, purging,
 * MoveHHi, grow-zone, fragmentation and error codes. Each test runs in 24-bit and in 32-bit mode
 * (tests/mm_harness.h). */
#include "config.h"

#include "tests/mm_harness.h"

/* ---- setup and layouts ---- */

static void init_sets_the_low_memory_globals(void **state)
{
	(void)state;
	assert_int_equal(r32(0x2A6), SYS_START);       /* SysZone */
	assert_int_equal(r32(0x2AA), APPL_START);      /* ApplZone */
	assert_int_equal(r32(0x118), APPL_START);      /* TheZone */
	assert_int_equal(r32(0x130), APPL_LIMIT);      /* ApplLimit */
	assert_int_equal(r32(0x114), r32(APPL_START)); /* HeapEnd = bkLim */
	assert_int_equal(r32(0x108), MEM_TOP);	       /* MemTop */
	assert_int_equal(r32(0x10C), MEM_TOP);	       /* BufPtr */
	assert_int_equal(r32(0x31A), 0x00FFFFFF);      /* Lo3Bytes */
	assert_int_equal(r8(0xCB2), mode32 ? 1 : 0);   /* MMU32Bit */
	assert_int_equal(r16(0x220), 0);	       /* MemErr */
	assert_int_equal(SystemZone(&mm), SYS_START);
	assert_int_equal(ApplicationZone(&mm), APPL_START);
	assert_int_equal(GetZone(&mm), APPL_START);
	assert_all_sound();
}

static void init_refuses_layouts_that_cannot_work(void **state)
{
	(void)state;
	struct mm other;
	uint32_t mask = mode32 ? 0xFFFFFFFF : 0x00FFFFFF;
	struct mm_layout l = {.sys_start = SYS_START,
			      .sys_end = SYS_END,
			      .appl_start = APPL_START,
			      .appl_end = APPL_END,
			      .appl_limit = APPL_LIMIT,
			      .mem_top = MEM_TOP};
	struct mm_layout bad = l;
	bad.sys_end = APPL_START + 0x100; /* overlaps the application zone */
	assert_int_equal(mm_init(&other, win, mask, mode32, &bad), memAdrErr);
	bad = l;
	bad.appl_limit = APPL_END - 4; /* limit below the zone */
	assert_int_equal(mm_init(&other, win, mask, mode32, &bad), memAdrErr);
	bad = l;
	bad.temp_start = APPL_START, bad.temp_end = APPL_END; /* temp zone inside the heap */
	assert_int_equal(mm_init(&other, win, mask, mode32, &bad), memAdrErr);
	bad = l;
	bad.sys_end = SYS_START + 40; /* no room for a zone */
	assert_int_equal(mm_init(&other, win, mask, mode32, &bad), memFullErr);
	if (!mode32) {
		bad = l;
		bad.mem_top = 0x01000001; /* past 16 MiB */
		assert_int_equal(mm_init(&other, win, mask, mode32, &bad), memAdrErr);
	}
}

static void zone_header_fields_sit_at_their_inside_macintosh_offsets(void **state)
{
	(void)state;
	gaddr z = APPL_START;
	uint32_t trailer = mode32 ? 16 : 12;
	assert_int_equal(r32(z + 0), APPL_END - trailer); /* bkLim: the trailer */
	assert_int_equal(r32(z + 8) & 3, 0);		  /* hFstFree */
	assert_int_equal(r16(z + 20), 32);		  /* moreMast */
	assert_int_equal(r16(z + 34), 32);		  /* cntHandles: one block of them */
	assert_int_equal(r16(z + 28), 1);		  /* cntNRel: that block */
	assert_int_equal(r32(z + 16), 0);		  /* gzProc */
	assert_int_equal(r32(z + 40), 0);		  /* purgeProc */
	/* The first block is the master pointer block, at heapData (52). */
	gaddr first = z + 52;
	assert_int_equal(r8(first) & 0xC0, 0x40);
	assert_int_equal(r32(z + 8), first + hdr()); /* first free MP is its first entry */
	uint32_t mpblock = mode32 ? r32(first + 4) : r32(first) & 0xFFFFFF;
	assert_int_equal(mpblock, hdr() + 32 * 4);
	/* zcbFree: everything between the MP block and the trailer. */
	assert_int_equal(r32(z + 12), APPL_END - trailer - first - mpblock);
	/* The trailer: a minimum-sized free block. */
	gaddr t = r32(z);
	assert_int_equal(r8(t) & 0xC0, 0);
	assert_int_equal(mode32 ? r32(t + 4) : r32(t) & 0xFFFFFF, trailer);
}

static void block_headers_are_laid_out_as_on_a_real_mac(void **state)
{
	(void)state;
	gaddr z = APPL_START;
	gaddr h = NewHandle(&mm, 10);
	assert_int_not_equal(h, 0);
	gaddr p = NewPtr(&mm, 6);
	assert_int_not_equal(p, 0);
	gaddr hb = deref(h) - hdr(), pb = p - hdr();
	if (!mode32) {
		/* 24-bit: tag | size correction, 3-byte size; relative handle / zone. */
		assert_int_equal(r32(hb), 0x82000014); /* relocatable, 2 spare, 20 bytes */
		assert_int_equal(r32(hb + 4), h - z);
		assert_int_equal(r32(pb), 0x42000010); /* nonrelocatable, 2 spare, 16 bytes */
		assert_int_equal(r32(pb + 4), z);
		assert_int_equal(r32(h) >> 24, 0); /* no flags yet */
	} else {
		/* 32-bit: tag, MP flags, 0, size correction; size; relative handle / zone. */
		assert_int_equal(r32(hb), 0x80000002);
		assert_int_equal(r32(hb + 4), 24);
		assert_int_equal(r32(hb + 8), h - z);
		assert_int_equal(r32(pb), 0x40000002);
		assert_int_equal(r32(pb + 4), 20);
		assert_int_equal(r32(pb + 8), z);
	}
	assert_int_equal(GetHandleSize(&mm, h), 10);
	assert_int_equal(GetPtrSize(&mm, p), 6);
	assert_all_sound();
}

static void flags_live_in_the_master_pointer_in_24_bit_mode_and_in_the_header_in_32(void **state)
{
	(void)state;
	gaddr h = NewHandle(&mm, 100);
	gaddr data = deref(h);
	gaddr b = data - hdr();
	assert_int_equal(HLock(&mm, h), 0);
	assert_int_equal(HGetState(&mm, h), 0x80);
	assert_int_equal(HPurge(&mm, h), 0);
	assert_int_equal(HSetRBit(&mm, h), 0);
	assert_int_equal(HGetState(&mm, h), 0xE0);
	if (!mode32) {
		assert_int_equal(r32(h), 0xE0000000 | data);
	} else {
		assert_int_equal(r32(h), data);
		assert_int_equal(r8(b + 1), 0xE0);
	}
	assert_int_equal(HUnlock(&mm, h), 0);
	assert_int_equal(HNoPurge(&mm, h), 0);
	assert_int_equal(HGetState(&mm, h), 0x20);
	assert_int_equal(HClrRBit(&mm, h), 0);
	assert_int_equal(HGetState(&mm, h), 0);
	assert_int_equal(HSetState(&mm, h, 0xC0), 0);
	assert_int_equal(HGetState(&mm, h), 0xC0);
	if (!mode32)
		assert_int_equal(r32(h), 0xC0000000 | data);
	assert_all_sound();
}

/* ---- allocation ---- */

static void clear_variants_return_zeroed_blocks(void **state)
{
	(void)state;
	gaddr h = NewHandle(&mm, 64);
	fill_pattern(deref(h), 64, 1);
	DisposeHandle(&mm, h);
	gaddr p = NewPtr(&mm, 64);
	fill_pattern(p, 64, 1);
	DisposePtr(&mm, p);
	h = NewHandleClear(&mm, 64);
	p = NewPtrClear(&mm, 64);
	for (int i = 0; i < 64; i++) {
		assert_int_equal(r8(deref(h) + i), 0);
		assert_int_equal(r8(p + i), 0);
	}
	gaddr hs = NewHandleSysClear(&mm, 32), ps = NewPtrSysClear(&mm, 32);
	for (int i = 0; i < 32; i++) {
		assert_int_equal(r8(deref(hs) + i), 0);
		assert_int_equal(r8(ps + i), 0);
	}
	assert_all_sound();
}

static void sys_variants_allocate_in_the_system_heap(void **state)
{
	(void)state;
	gaddr h = NewHandleSys(&mm, 40), p = NewPtrSys(&mm, 40);
	assert_int_equal(HandleZone(&mm, h), SYS_START);
	assert_int_equal(PtrZone(&mm, p), SYS_START);
	assert_true(h > SYS_START && h < SYS_END && p > SYS_START && p < SYS_END);
	gaddr h2 = mm_new_handle(&mm, 40, 0x0400), p2 = mm_new_ptr(&mm, 40, 0x0600);
	assert_int_equal(HandleZone(&mm, h2), SYS_START);
	assert_int_equal(PtrZone(&mm, p2), SYS_START);
	gaddr ha = NewHandle(&mm, 40), pa = NewPtr(&mm, 40);
	assert_int_equal(HandleZone(&mm, ha), APPL_START);
	assert_int_equal(PtrZone(&mm, pa), APPL_START);
	gaddr e = NewEmptyHandleSys(&mm);
	assert_int_equal(HandleZone(&mm, e), SYS_START);
	assert_int_equal(r32(e), 0);
	assert_all_sound();
}

static void handle_sizes_grow_and_shrink_keeping_contents(void **state)
{
	(void)state;
	gaddr h = NewHandle(&mm, 100);
	gaddr after = NewHandle(&mm, 100); /* so growing must move something */
	fill_pattern(deref(h), 100, 9);
	fill_pattern(deref(after), 100, 33);
	assert_int_equal(SetHandleSize(&mm, h, 5000), 0);
	assert_int_equal(GetHandleSize(&mm, h), 5000);
	assert_true(has_pattern(deref(h), 100, 9));
	assert_true(has_pattern(deref(after), 100, 33));
	assert_int_equal(SetHandleSize(&mm, h, 37), 0);
	assert_int_equal(GetHandleSize(&mm, h), 37);
	assert_true(has_pattern(deref(h), 37, 9));
	assert_int_equal(SetHandleSize(&mm, h, 0), 0);
	assert_int_equal(GetHandleSize(&mm, h), 0);
	assert_all_sound();
}

static void locked_handle_grows_only_in_place(void **state)
{
	(void)state;
	gaddr h = NewHandle(&mm, 100);
	gaddr p = NewPtr(&mm, 16); /* a wall right after it? make sure */
	(void)p;
	HLock(&mm, h);
	gaddr where = deref(h);
	/* Whatever lies after h, a locked block never moves. */
	OSErr e = SetHandleSize(&mm, h, 200000);
	assert_int_equal(deref(h), where);
	if (e == 0)
		assert_int_equal(GetHandleSize(&mm, h), 200000);
	else
		assert_int_equal(e, memFullErr);
	assert_all_sound();
}

static void ptr_sizes_change_in_place_or_fail(void **state)
{
	(void)state;
	gaddr a = NewPtr(&mm, 100);
	fill_pattern(a, 100, 5);
	assert_int_equal(SetPtrSize(&mm, a, 60), 0);
	assert_int_equal(GetPtrSize(&mm, a), 60);
	assert_int_equal(SetPtrSize(&mm, a, 100), 0);
	assert_true(has_pattern(a, 60, 5));
	gaddr b = NewPtr(&mm, 100); /* right after a */
	assert_int_equal(b, a + ((100 + hdr() + 3) & ~3u));
	assert_int_equal(SetPtrSize(&mm, a, 400), memFullErr);
	assert_int_equal(MemError(&mm), memFullErr);
	assert_int_equal(GetPtrSize(&mm, a), 100);
	/* A relocatable block after a moves out of the way. */
	DisposePtr(&mm, b);
	gaddr h = NewHandle(&mm, 50);
	fill_pattern(deref(h), 50, 77);
	assert_int_equal(SetPtrSize(&mm, a, 400), 0);
	assert_true(has_pattern(a, 60, 5));
	assert_true(has_pattern(deref(h), 50, 77));
	assert_true(deref(h) > a + 400);
	assert_all_sound();
}

static void nonrelocatable_blocks_go_low(void **state)
{
	(void)state;
	gaddr h1 = NewHandle(&mm, 200), h2 = NewHandle(&mm, 200);
	gaddr low = deref(h1);
	DisposeHandle(&mm, h1);
	gaddr p = NewPtr(&mm, 100);
	assert_int_equal(p, low); /* the lowest free space */
	(void)h2;
	assert_all_sound();
}

static void new_ptr_moves_handles_out_of_the_way_to_stay_low(void **state)
{
	(void)state;
	gaddr hs[8];
	for (int i = 0; i < 8; i++) {
		hs[i] = NewHandle(&mm, 1000);
		fill_pattern(deref(hs[i]), 1000, (uint8_t)i);
	}
	gaddr first = deref(hs[0]) - hdr();
	/* Fill the rest of the zone so the only way is to move handles. */
	int32_t grow;
	int32_t big = MaxMem(&mm, &grow);
	gaddr filler = NewPtr(&mm, big);
	assert_int_not_equal(filler, 0);
	/* Two holes, neither large enough alone. */
	DisposeHandle(&mm, hs[7]);
	DisposeHandle(&mm, hs[5]);
	gaddr p = NewPtr(&mm, 1500);
	assert_int_not_equal(p, 0);
	assert_int_equal(p - hdr(), first); /* took the place of the handles */
	for (int i = 0; i < 7; i++)
		if (i != 5)
			assert_true(has_pattern(deref(hs[i]), 1000, (uint8_t)i));
	assert_all_sound();
}

/* ---- compaction, purging, MoveHHi ---- */

static void compaction_moves_unlocked_blocks_and_keeps_locked_ones(void **state)
{
	(void)state;
	gaddr h[6];
	for (int i = 0; i < 6; i++) {
		h[i] = NewHandle(&mm, 300);
		fill_pattern(deref(h[i]), 300, (uint8_t)(i * 40));
	}
	HLock(&mm, h[3]);
	gaddr locked_at = deref(h[3]), h4_at = deref(h[4]), h1_at = deref(h[1]);
	DisposeHandle(&mm, h[0]);
	DisposeHandle(&mm, h[2]);
	unsigned long before = mm.compactions;
	int32_t largest = CompactMem(&mm, 0x7FFFFFF0);
	assert_true(mm.compactions > before);
	assert_true(largest > 0);
	assert_int_equal(deref(h[3]), locked_at);
	assert_true(deref(h[1]) < h1_at);
	assert_int_equal(deref(h[4]), h4_at); /* above the locked block: nothing to slide into */
	assert_true(deref(h[1]) < deref(h[3]));
	for (int i = 1; i < 6; i++)
		if (i != 2)
			assert_true(has_pattern(deref(h[i]), 300, (uint8_t)(i * 40)));
	assert_all_sound();
}

static void purgeable_blocks_are_purged_when_space_is_short(void **state)
{
	(void)state;
	MaxApplZone(&mm);
	/* The locked block lowest, so the purged space can join the free space
	 * above once keep slides down. */
	gaddr locked = NewHandle(&mm, 100000);
	gaddr p = NewHandle(&mm, 100000);
	gaddr keep = NewHandle(&mm, 100000);
	HPurge(&mm, p);
	HPurge(&mm, locked);
	HLock(&mm, locked);
	int32_t total, contig;
	PurgeSpace(&mm, &total, &contig);
	assert_true(total >= FreeMem(&mm) + 100000);
	unsigned long before = mm.purges;
	int32_t grow;
	(void)grow;
	/* Ask for more than is free without purging. */
	int32_t want = FreeMem(&mm) + 50000;
	gaddr big = NewHandle(&mm, want);
	assert_int_not_equal(big, 0);
	assert_true(mm.purges > before);
	assert_int_equal(r32(p), 0);	      /* purged: empty, still a handle */
	assert_int_not_equal(r32(locked), 0); /* locked: kept */
	assert_int_not_equal(r32(keep), 0);   /* not purgeable: kept */
	assert_int_equal(GetHandleSize(&mm, p), nilHandleErr);
	assert_int_equal(HandleZone(&mm, p), APPL_START);
	DisposeHandle(&mm, big);
	assert_int_equal(ReallocateHandle(&mm, p, 500), 0);
	assert_int_equal(GetHandleSize(&mm, p), 500);
	assert_all_sound();
}

static void purge_mem_and_max_mem_purge_and_report(void **state)
{
	(void)state;
	gaddr a = NewHandle(&mm, 20000), b = NewHandle(&mm, 20000);
	HPurge(&mm, a);
	HPurge(&mm, b);
	assert_int_equal(PurgeMem(&mm, 10), 0); /* already room: nothing purged */
	assert_int_not_equal(r32(a), 0);
	assert_int_equal(PurgeMem(&mm, 0x00800000), memFullErr);
	assert_int_equal(r32(a), 0);
	assert_int_equal(r32(b), 0);
	assert_int_equal(ReallocateHandle(&mm, a, 20000), 0);
	HPurge(&mm, a);
	int32_t grow;
	int32_t max = MaxMem(&mm, &grow);
	assert_int_equal(r32(a), 0);
	assert_int_equal(grow, (int32_t)(APPL_LIMIT - r32(APPL_START) - (mode32 ? 16 : 12)));
	assert_int_equal(max, MaxBlock(&mm));
	assert_true(max <= FreeMem(&mm));
	assert_all_sound();
}

static void empty_and_reallocate_handle(void **state)
{
	(void)state;
	gaddr h = NewHandle(&mm, 64);
	HLock(&mm, h);
	assert_int_equal(EmptyHandle(&mm, h), memPurErr);
	HUnlock(&mm, h);
	assert_int_equal(EmptyHandle(&mm, h), 0);
	assert_int_equal(r32(h), 0);
	assert_int_equal(EmptyHandle(&mm, h), 0);
	assert_int_equal(HLock(&mm, h), nilHandleErr);
	assert_int_equal(HGetState(&mm, h), nilHandleErr);
	assert_int_equal(ReallocateHandle(&mm, h, 128), 0);
	assert_int_equal(GetHandleSize(&mm, h), 128);
	HLock(&mm, h);
	assert_int_equal(ReallocateHandle(&mm, h, 16), memLockedErr);
	HUnlock(&mm, h);
	assert_int_equal(ReallocateHandle(&mm, h, 16), 0);
	assert_int_equal(GetHandleSize(&mm, h), 16);
	gaddr e = NewEmptyHandle(&mm);
	assert_int_equal(r32(e), 0);
	assert_int_equal(ReallocateHandle(&mm, e, 10), 0);
	assert_int_equal(DisposeHandle(&mm, e), 0);
	gaddr e2 = NewEmptyHandle(&mm);
	assert_int_equal(DisposeHandle(&mm, e2), 0);
	assert_all_sound();
}

static void move_hhi_moves_a_block_to_the_top_of_the_zone(void **state)
{
	(void)state;
	gaddr a = NewHandle(&mm, 400), b = NewHandle(&mm, 400), c = NewHandle(&mm, 400);
	fill_pattern(deref(a), 400, 1);
	fill_pattern(deref(b), 400, 2);
	fill_pattern(deref(c), 400, 3);
	HLock(&mm, b);
	assert_int_equal(MoveHHi(&mm, b), memLockedErr);
	HUnlock(&mm, b);
	HSetRBit(&mm, a);
	assert_int_equal(MoveHHi(&mm, a), 0);
	gaddr lim = r32(APPL_START);
	assert_int_equal(deref(a) + ((400 + hdr() + 3) & ~3u) - hdr(), lim);
	assert_true(deref(a) > deref(b) && deref(a) > deref(c));
	assert_int_equal(HGetState(&mm, a), 0x20);
	assert_true(has_pattern(deref(a), 400, 1));
	assert_true(has_pattern(deref(b), 400, 2));
	assert_true(has_pattern(deref(c), 400, 3));
	/* A nonrelocatable block is a ceiling. */
	gaddr d = NewHandle(&mm, 100);
	assert_all_sound();
	(void)d;
}

static void fragmented_zone_refuses_what_free_space_cannot_hold_contiguously(void **state)
{
	(void)state;
	SetApplLimit(&mm, r32(0x114) + (mode32 ? 16 : 12)); /* no growth */
	/* Alternate nonrelocatable walls and handles, then free the handles. */
	gaddr hs[200];
	int n = 0;
	for (;;) {
		gaddr h = NewHandle(&mm, 4000);
		if (!h)
			break;
		gaddr p = NewPtr(&mm, 16);
		if (!p)
			break;
		assert_true(n < 200);
		hs[n++] = h;
	}
	assert_true(n > 10);
	for (int i = 0; i < n; i++)
		DisposeHandle(&mm, hs[i]);
	int32_t free = FreeMem(&mm);
	assert_true(free > 12000 * 10);
	assert_true(MaxBlock(&mm) < 12000);
	assert_int_equal(NewHandle(&mm, 12000), 0);
	assert_int_equal(MemError(&mm), memFullErr);
	assert_int_equal(FreeMem(&mm), free);
	assert_int_not_equal(NewHandle(&mm, 3000), 0);
	assert_all_sound();
}

/* ---- the application zone and grow-zone ---- */

static void application_zone_grows_up_to_appl_limit(void **state)
{
	(void)state;
	gaddr end = r32(0x114);
	gaddr h = NewHandle(&mm, 0x80000); /* larger than the initial zone */
	assert_int_not_equal(h, 0);
	assert_true(r32(0x114) > end);
	assert_int_equal(r32(0x114), r32(APPL_START));
	assert_int_equal(GetApplLimit(&mm), APPL_LIMIT);
	assert_int_equal(SetApplLimit(&mm, APPL_START + 0x100), memFullErr);
	assert_int_equal(SetApplLimit(&mm, 0x300000), 0);
	assert_int_equal(r32(0x130), 0x300000);
	MaxApplZone(&mm);
	assert_int_equal(r32(0x114), 0x300000 - (mode32 ? 16 : 12));
	assert_int_equal(NewHandle(&mm, 0x300000), 0);
	assert_int_equal(MemError(&mm), memFullErr);
	assert_int_equal(StackSpace(&mm, 0x380000), 0x380000 - r32(0x114));
	assert_all_sound();
}

static gaddr gz_victim, gz_seen_root;
static int32_t gz_needed;
static int gz_calls;

static int32_t test_grow_zone(struct mm *m, gaddr zone, gaddr proc, int32_t cbNeeded)
{
	assert_int_equal(zone, APPL_START);
	assert_int_equal(proc, 0x1234);
	gz_calls++;
	gz_needed = cbNeeded;
	gz_seen_root = GZSaveHnd(m);
	assert_int_equal(r32(0x328), gz_seen_root); /* GZRootHnd, where 68K code reads it */
	if (!gz_victim)
		return 0;
	int32_t size = GetHandleSize(m, gz_victim);
	DisposeHandle(m, gz_victim);
	gz_victim = 0;
	return size;
}

static void grow_zone_function_is_called_when_space_is_short(void **state)
{
	(void)state;
	SetApplLimit(&mm, r32(0x114) + (mode32 ? 16 : 12));
	mm.call_grow_zone = test_grow_zone;
	SetGrowZone(&mm, 0x1234);
	assert_int_equal(r32(APPL_START + 16), 0x1234);
	gaddr keep = NewHandle(&mm, 1000);
	int32_t free = MaxBlock(&mm);
	gz_victim = NewHandle(&mm, free - 2000);
	assert_int_not_equal(gz_victim, 0);
	gz_calls = 0;
	/* Growing keep needs the victim's space: the grow-zone function frees it. */
	assert_int_equal(SetHandleSize(&mm, keep, free - 1000), 0);
	assert_int_equal(gz_calls, 1);
	assert_int_equal(gz_seen_root, keep);
	assert_true(gz_needed >= free - 1000);
	assert_int_equal(GZSaveHnd(&mm), 0);
	/* Nothing left to give: the function says so, and the call fails. */
	assert_int_equal(NewHandle(&mm, free), 0);
	assert_int_equal(gz_calls, 2);
	assert_int_equal(MemError(&mm), memFullErr);
	assert_all_sound();
}

static void purge_warning_procedure_runs_before_a_purge(void **state);

static gaddr purged_seen;
static void test_purge_proc(struct mm *m, gaddr zone, gaddr proc, gaddr h)
{
	(void)m;
	assert_int_equal(zone, APPL_START);
	assert_int_equal(proc, 0x5678);
	assert_int_not_equal(r32(h), 0); /* still there when warned */
	purged_seen = h;
}

static void purge_warning_procedure_runs_before_a_purge(void **state)
{
	(void)state;
	mm.call_purge_proc = test_purge_proc;
	w32(APPL_START + 40, 0x5678); /* purgeProc, set directly as IM allows */
	gaddr h = NewHandle(&mm, 1000);
	HPurge(&mm, h);
	purged_seen = 0;
	assert_int_equal(PurgeMem(&mm, 0x7FFFFF), memFullErr);
	assert_int_equal(purged_seen, h);
	assert_int_equal(r32(h), 0);
}

/* ---- master pointers and zones ---- */

static void more_masters_adds_a_block_of_master_pointers(void **state)
{
	(void)state;
	uint32_t before = r16(APPL_START + 34);
	w8(APPL_START + 21, 10); /* moreMast = 10 */
	assert_int_equal(MoreMasters(&mm), 0);
	assert_int_equal(r16(APPL_START + 34), before + 10);
	/* 42 handles need no more than the two blocks. */
	for (int i = 0; i < 42; i++)
		assert_int_not_equal(NewHandle(&mm, 8), 0);
	assert_int_equal(r16(APPL_START + 34), before + 10);
	assert_int_equal(r32(APPL_START + 8), 0); /* all used */
	assert_int_not_equal(NewHandle(&mm, 8), 0);
	assert_int_equal(r16(APPL_START + 34), before + 20);
	assert_all_sound();
}

static void init_zone_makes_a_zone_anywhere_and_it_becomes_current(void **state)
{
	(void)state;
	gaddr p = NewPtr(&mm, 0x10000);
	assert_int_equal(InitZone(&mm, p, p + 0x10000, 16, 0), 0);
	assert_int_equal(GetZone(&mm), p);
	assert_int_equal(r16(p + 20), 16);
	gaddr h = NewHandle(&mm, 100), q = NewPtr(&mm, 100);
	assert_int_equal(HandleZone(&mm, h), p);
	assert_int_equal(PtrZone(&mm, q), p);
	assert_zone_sound(p);
	SetZone(&mm, APPL_START);
	assert_int_equal(r32(0x118), APPL_START);
	assert_int_equal(InitZone(&mm, p, p + 40, 16, 0), memFullErr);
	assert_all_sound();
}

static void init_appl_zone_starts_the_application_heap_afresh(void **state)
{
	(void)state;
	for (int i = 0; i < 20; i++)
		NewHandle(&mm, 30000);
	assert_int_equal(InitApplZone(&mm), 0);
	assert_int_equal(r32(0x114), APPL_END - (mode32 ? 16 : 12));
	assert_int_equal(r16(APPL_START + 24), 0);
	assert_int_equal(GetZone(&mm), APPL_START);
	assert_all_sound();
}

static void set_appl_base_moves_the_application_zone(void **state)
{
	(void)state;
	assert_int_equal(SetApplBase(&mm, APPL_START + 0x10000), 0);
	assert_int_equal(ApplicationZone(&mm), APPL_START + 0x10000);
	assert_int_equal(GetZone(&mm), APPL_START + 0x10000);
	assert_int_equal(r32(0x114), APPL_END - (mode32 ? 16 : 12));
	gaddr h = NewHandle(&mm, 100);
	assert_int_equal(HandleZone(&mm, h), APPL_START + 0x10000);
	assert_zone_sound(APPL_START + 0x10000);
	assert_int_equal(SetApplBase(&mm, SYS_START + 0x100), memAdrErr); /* in the system heap */
	assert_int_equal(SetApplBase(&mm, APPL_END), memAdrErr);
	struct mm_regs r = {.a0 = APPL_START};
	assert_true(mm_register_trap(&mm, 0xA057, &r)); /* _SetApplBase */
	assert_int_equal(r.d0, 0);
	assert_int_equal(ApplicationZone(&mm), APPL_START);
	assert_zone_sound(APPL_START);
}

static void recover_handle_and_zones_of_blocks(void **state)
{
	(void)state;
	gaddr h = NewHandle(&mm, 10);
	assert_int_equal(RecoverHandle(&mm, deref(h)), h);
	assert_int_equal(HandleZone(&mm, h), APPL_START);
	assert_int_equal(PtrZone(&mm, deref(h)), APPL_START);
	gaddr p = NewPtr(&mm, 10);
	assert_int_equal(RecoverHandle(&mm, p), 0);
	assert_int_equal(MemError(&mm), memWZErr);
	if (!mode32) /* 24-bit: a flag byte in the pointer is ignored */
		assert_int_equal(RecoverHandle(&mm, 0x80000000 | deref(h)), h);
}

/* ---- errors ---- */

static void errors_are_the_mac_codes(void **state)
{
	(void)state;
	assert_int_equal(DisposeHandle(&mm, 0), nilHandleErr);
	assert_int_equal(MemError(&mm), nilHandleErr);
	assert_int_equal(HLock(&mm, 0), nilHandleErr);
	assert_int_equal(GetHandleSize(&mm, 0), nilHandleErr);
	assert_int_equal(HLock(&mm, APPL_START + 0x1001), memAdrErr); /* odd handle */
	assert_int_equal(DisposePtr(&mm, APPL_START + 0x1001), memAdrErr);
	assert_int_equal(NewHandle(&mm, -5), 0);
	assert_int_equal(MemError(&mm), memSCErr);
	assert_int_equal(NewPtr(&mm, 0x7FFFFFFF), 0);
	assert_int_equal(MemError(&mm), memFullErr);
	assert_int_equal(NewHandle(&mm, 0x00F00000), 0);
	assert_int_equal(MemError(&mm), memFullErr);
	gaddr h = NewHandle(&mm, 10), p = NewPtr(&mm, 10);
	assert_int_equal(DisposePtr(&mm, deref(h)), memWZErr);
	assert_int_equal(GetPtrSize(&mm, deref(h)), memWZErr);
	assert_int_equal(SetHandleSize(&mm, h, -1), memSCErr);
	assert_int_equal(SetPtrSize(&mm, p, -1), memSCErr);
	assert_int_equal(DisposePtr(&mm, p), 0);
	assert_int_equal(DisposePtr(&mm, p), memWZErr); /* now a free block */
	assert_int_equal(MemError(&mm), memWZErr);
	assert_int_equal(DisposeHandle(&mm, h), 0);
	assert_int_equal(MemError(&mm), 0);
	assert_all_sound();
}

/* ---- utilities and temporary memory ---- */

static void block_move_handles_overlap_both_ways(void **state)
{
	(void)state;
	gaddr p = NewPtr(&mm, 64);
	fill_pattern(p, 32, 0);
	BlockMove(&mm, p, p + 5, 32);
	assert_true(has_pattern(p + 5, 32, 0));
	fill_pattern(p + 8, 32, 50);
	BlockMoveData(&mm, p + 8, p + 1, 32);
	assert_true(has_pattern(p + 1, 32, 50));
	fill_pattern(p, 64, 3);
	BlockMove(&mm, p + 32, p, 32);
	assert_true(has_pattern(p, 32, (uint8_t)(3 + 32 * 7)));
	assert_int_equal(MemError(&mm), 0);
	assert_int_equal(StripAddress(&mm, 0xC0123456), mode32 ? 0xC0123456 : 0x00123456);
}

static void copying_between_pointers_and_handles(void **state)
{
	(void)state;
	gaddr p = NewPtr(&mm, 40);
	fill_pattern(p, 40, 11);
	gaddr h = 0;
	assert_int_equal(PtrToHand(&mm, p, &h, 40), 0);
	assert_int_equal(GetHandleSize(&mm, h), 40);
	assert_true(has_pattern(deref(h), 40, 11));
	gaddr copy = h;
	assert_int_equal(HandToHand(&mm, &copy), 0);
	assert_int_not_equal(copy, h);
	assert_true(has_pattern(deref(copy), 40, 11));
	assert_int_equal(HandAndHand(&mm, h, copy), 0); /* copy = h's data twice */
	assert_int_equal(GetHandleSize(&mm, copy), 80);
	assert_true(has_pattern(deref(copy), 40, 11));
	assert_true(has_pattern(deref(copy) + 40, 40, 11));
	assert_int_equal(PtrAndHand(&mm, p, copy, 10), 0);
	assert_int_equal(GetHandleSize(&mm, copy), 90);
	assert_true(has_pattern(deref(copy) + 80, 10, 11));
	assert_int_equal(PtrToXHand(&mm, p + 20, h, 20), 0);
	assert_int_equal(GetHandleSize(&mm, h), 20);
	assert_true(has_pattern(deref(h), 20, (uint8_t)(11 + 20 * 7)));
	gaddr none = 0;
	assert_int_equal(HandToHand(&mm, &none), nilHandleErr);
	assert_int_equal(PtrAndHand(&mm, p, h, -1), memSCErr);
	/* The register-based Toolbox traps. */
	struct mm_regs r = {.a0 = p, .d0 = 40};
	assert_true(mm_register_trap(&mm, 0xA9E3, &r)); /* _PtrToHand */
	assert_int_equal(r.d0, 0);
	assert_true(has_pattern(deref(r.a0), 40, 11));
	gaddr th = r.a0;
	r = (struct mm_regs){.a0 = th};
	assert_true(mm_register_trap(&mm, 0xA9E1, &r)); /* _HandToHand */
	assert_int_not_equal(r.a0, th);
	assert_true(has_pattern(deref(r.a0), 40, 11));
	gaddr t2 = r.a0;
	r = (struct mm_regs){.a0 = th, .a1 = t2};
	assert_true(mm_register_trap(&mm, 0xA9E4, &r)); /* _HandAndHand */
	assert_int_equal(r.a0, t2);
	assert_int_equal(GetHandleSize(&mm, t2), 80);
	r = (struct mm_regs){.a0 = p, .a1 = t2, .d0 = 4};
	assert_true(mm_register_trap(&mm, 0xADEF, &r)); /* _PtrAndHand, auto-pop bit set */
	assert_int_equal(GetHandleSize(&mm, t2), 84);
	r = (struct mm_regs){.a0 = p, .a1 = t2, .d0 = 8};
	assert_true(mm_register_trap(&mm, 0xA9E2, &r)); /* _PtrToXHand */
	assert_int_equal(r.a0, t2);
	assert_int_equal(GetHandleSize(&mm, t2), 8);
	assert_string_equal(mm_trap_name(0xA9E1), "HandToHand");
	assert_all_sound();
}

static void temporary_memory_comes_from_its_own_zone(void **state)
{
	(void)state;
	int32_t before = TempFreeMem(&mm);
	OSErr err = 1;
	gaddr h = TempNewHandle(&mm, 5000, &err);
	assert_int_equal(err, 0);
	assert_int_equal(HandleZone(&mm, h), TEMP_START);
	assert_true(TempFreeMem(&mm) <= before - 5000);
	assert_int_equal(HLock(&mm, h), 0);
	int32_t grow = 1;
	assert_true(TempMaxMem(&mm, &grow) > 0);
	assert_int_equal(grow, 0);
	gaddr h2 = MFTempNewHandle(&mm, 0x7FFFFF, &err);
	assert_int_equal(h2, 0);
	assert_int_equal(err, memFullErr);
	TempHUnlock(&mm, h, &err);
	assert_int_equal(err, 0);
	assert_int_equal(HGetState(&mm, h), 0);
	TempHLock(&mm, h, &err);
	assert_int_equal(HGetState(&mm, h), 0x80);
	gaddr app_top = 0;
	assert_int_equal(TempTopMem(&mm, &app_top), TEMP_END);
	assert_int_equal(app_top, APPL_END);
	TempDisposeHandle(&mm, h, &err);
	assert_int_equal(err, 0);
	assert_int_equal(TempFreeMem(&mm), before);
	TempDisposeHandle(&mm, 0, &err);
	assert_int_equal(err, nilHandleErr);
	assert_all_sound();
}

static void without_a_temp_zone_temporary_memory_is_in_the_system_heap(void **state)
{
	(void)state;
	OSErr err;
	gaddr h = TempNewHandle(&mm, 100, &err);
	assert_int_equal(err, 0);
	assert_int_equal(HandleZone(&mm, h), SYS_START);
	assert_int_equal(TempFreeMem(&mm), FreeMemSys(&mm));
	assert_int_equal(TempTopMem(&mm, NULL), MEM_TOP);
}

static void space_queries_agree_with_the_zone(void **state)
{
	(void)state;
	assert_int_equal(FreeMem(&mm), (int32_t)r32(APPL_START + 12));
	assert_int_equal(FreeMemSys(&mm), (int32_t)r32(SYS_START + 12));
	int32_t grow;
	assert_true(MaxMemSys(&mm, &grow) > 0);
	assert_int_equal(grow, 0);
	assert_true(MaxBlockSys(&mm) > 0);
	assert_true(CompactMemSys(&mm, 100) > 0);
	assert_int_equal(PurgeMemSys(&mm, 100), 0);
	assert_int_equal(ResrvMem(&mm, 1000), 0);
	assert_int_equal(ResrvMemSys(&mm, 1000), 0);
	assert_int_equal(ResrvMem(&mm, 0x7000000), memFullErr);
	assert_int_equal(MaxBlock(&mm), FreeMem(&mm) - (int32_t)hdr());
	assert_all_sound();
}

/* ---- the checker finds damage ---- */

static void heap_checker_reports_damage(void **state)
{
	(void)state;
	char why[200];
	gaddr h = NewHandle(&mm, 100);
	assert_true(mm_check_zone(&mm, APPL_START, why, sizeof why));
	assert_true(mm_check_all(&mm, why, sizeof why));
	w32(TEMP_START + 12, r32(TEMP_START + 12) + 4); /* the temporary zone's zcbFree */
	assert_false(mm_check_all(&mm, why, sizeof why));
	assert_non_null(strstr(why, "00800000"));
	w32(TEMP_START + 12, r32(TEMP_START + 12) - 4);
	gaddr mp = r32(h);
	w32(h, mp + 4); /* master pointer off by 4 */
	assert_false(mm_check_zone(&mm, APPL_START, why, sizeof why));
	assert_non_null(strstr(why, "master pointer"));
	w32(h, mp);
	w32(APPL_START + 12, r32(APPL_START + 12) + 4); /* zcbFree wrong */
	assert_false(mm_check_zone(&mm, APPL_START, why, sizeof why));
	assert_non_null(strstr(why, "zcbFree"));
	w32(APPL_START + 12, r32(APPL_START + 12) - 4);
	gaddr b = deref(h) - hdr();
	w8(b, 0xC0); /* no such tag */
	assert_false(mm_check_zone(&mm, APPL_START, why, sizeof why));
	assert_non_null(strstr(why, "tag"));
}

static void zone_dump_lists_every_block(void **state)
{
	(void)state;
	gaddr h = NewHandle(&mm, 100);
	HLock(&mm, h);
	gaddr p = NewPtr(&mm, 50);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	mm_dump_zone(&mm, APPL_START, f);
	fclose(f);
	char line[64];
	snprintf(line, sizeof line, " %08X %08X  R  %08X  L", deref(h), 100, h);
	assert_non_null(strstr(buf, line));
	snprintf(line, sizeof line, " %08X %08X  N", p, 50);
	assert_non_null(strstr(buf, line));
	assert_non_null(strstr(buf, "2 nonrelocatable"));
	free(buf);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static const struct CMUnitTest tests[] = {
    TEST(init_sets_the_low_memory_globals),
    TEST(init_refuses_layouts_that_cannot_work),
    TEST(zone_header_fields_sit_at_their_inside_macintosh_offsets),
    TEST(block_headers_are_laid_out_as_on_a_real_mac),
    TEST(flags_live_in_the_master_pointer_in_24_bit_mode_and_in_the_header_in_32),
    TEST(clear_variants_return_zeroed_blocks),
    TEST(sys_variants_allocate_in_the_system_heap),
    TEST(handle_sizes_grow_and_shrink_keeping_contents),
    TEST(locked_handle_grows_only_in_place),
    TEST(ptr_sizes_change_in_place_or_fail),
    TEST(nonrelocatable_blocks_go_low),
    TEST(new_ptr_moves_handles_out_of_the_way_to_stay_low),
    TEST(compaction_moves_unlocked_blocks_and_keeps_locked_ones),
    TEST(purgeable_blocks_are_purged_when_space_is_short),
    TEST(purge_mem_and_max_mem_purge_and_report),
    TEST(empty_and_reallocate_handle),
    TEST(move_hhi_moves_a_block_to_the_top_of_the_zone),
    TEST(fragmented_zone_refuses_what_free_space_cannot_hold_contiguously),
    TEST(application_zone_grows_up_to_appl_limit),
    TEST(grow_zone_function_is_called_when_space_is_short),
    TEST(purge_warning_procedure_runs_before_a_purge),
    TEST(more_masters_adds_a_block_of_master_pointers),
    TEST(init_zone_makes_a_zone_anywhere_and_it_becomes_current),
    TEST(init_appl_zone_starts_the_application_heap_afresh),
    TEST(set_appl_base_moves_the_application_zone),
    TEST(recover_handle_and_zones_of_blocks),
    TEST(errors_are_the_mac_codes),
    TEST(block_move_handles_overlap_both_ways),
    TEST(copying_between_pointers_and_handles),
    TEST(temporary_memory_comes_from_its_own_zone),
    cmocka_unit_test_setup_teardown(without_a_temp_zone_temporary_memory_is_in_the_system_heap,
				    setup_no_temp, teardown),
    TEST(space_queries_agree_with_the_zone),
    TEST(heap_checker_reports_damage),
    TEST(zone_dump_lists_every_block),
};

int main(void)
{
	mode32 = false;
	int failed = cmocka_run_group_tests_name("memory manager, 24-bit", tests, NULL, NULL);
	mode32 = true;
	failed += cmocka_run_group_tests_name("memory manager, 32-bit", tests, NULL, NULL);
	return failed ? 1 : 0;
}
