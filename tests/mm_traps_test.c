/* The Memory Manager's register-level traps (mm_register_trap): each OS
 * trap and register-based Toolbox trap it takes, with the Inside Macintosh
 * register conventions and the trap word's flag bits, checked by its effect
 * on the zones. Runs in 24-bit and 32-bit mode (tests/mm_harness.h). */
#include "config.h"

#include "tests/mm_harness.h"

/* ---- register-level traps ---- */

static struct mm_regs trap(uint16_t word, uint32_t d0, uint32_t a0)
{
	struct mm_regs r = {.d0 = d0, .a0 = a0, .a1 = 0, .sp = 0x380000};
	assert_true(mm_register_trap(&mm, word, &r));
	return r;
}

static void traps_follow_the_register_conventions(void **state)
{
	(void)state;
	struct mm_regs r = trap(0xA722, 100, 0); /* _NewHandle,SYS,CLEAR (+ return A0) */
	gaddr h = r.a0;
	assert_int_equal(r.d0, 0);
	assert_int_equal(HandleZone(&mm, h), SYS_START);
	for (int i = 0; i < 100; i++)
		assert_int_equal(r8(deref(h) + i), 0);
	assert_int_equal(trap(0xA025, 0, h).d0, 100); /* _GetHandleSize */
	assert_int_equal(trap(0xA024, 200, h).d0, 0); /* _SetHandleSize */
	assert_int_equal(trap(0xA025, 0, h).d0, 200);
	assert_int_equal(trap(0xA029, 0, h).d0, 0);    /* _HLock */
	assert_int_equal(trap(0xA069, 0, h).d0, 0x80); /* _HGetState */
	assert_int_equal(trap(0xA06A, 0x40, h).d0, 0); /* _HSetState */
	assert_int_equal(HGetState(&mm, h), 0x40);
	assert_int_equal(trap(0xA126, 0, h).a0, SYS_START); /* _HandleZone */
	r = trap(0xA11E, 64, 0);			    /* _NewPtr */
	gaddr p = r.a0;
	assert_int_equal(r.d0, 0);
	assert_int_equal(trap(0xA148, 0, p).a0, APPL_START); /* _PtrZone */
	assert_int_equal(trap(0xA021, 0, p).d0, 64);	     /* _GetPtrSize */
	r = (struct mm_regs){.d0 = 0x55, .a0 = deref(h)};
	assert_true(mm_register_trap(&mm, 0xA128, &r)); /* _RecoverHandle */
	assert_int_equal(r.a0, h);
	assert_int_equal(r.d0, 0x55);
	fill_pattern(p, 16, 4);
	r = (struct mm_regs){.d0 = 16, .a0 = p, .a1 = p + 32};
	assert_true(mm_register_trap(&mm, 0xA02E, &r)); /* _BlockMove */
	assert_true(has_pattern(p + 32, 16, 4));
	assert_int_equal(trap(0xA01C, 0, 0).d0, FreeMem(&mm));	  /* _FreeMem */
	assert_int_equal(trap(0xA41C, 0, 0).d0, FreeMemSys(&mm)); /* _FreeMem,SYS */
	assert_int_equal(GetZone(&mm), APPL_START);		  /* switched back */
	r = trap(0xA11D, 0, 0);					  /* _MaxMem */
	assert_int_equal(r.d0, MaxBlock(&mm));
	assert_int_equal(r.a0, APPL_LIMIT - r32(0x114) - (mode32 ? 16 : 12));
	r = trap(0xA162, 0, 0); /* _PurgeSpace */
	assert_true(r.a0 <= r.d0);
	assert_int_equal(trap(0xA11A, 0, 0).a0, APPL_START);		/* _GetZone */
	assert_int_equal(trap(0xA065, 0, 0).d0, 0x380000 - r32(0x114)); /* _StackSpace */
	assert_int_equal(trap(0xA01F, 0, deref(h)).d0,
			 (uint32_t)(int32_t)memWZErr); /* _DisposePtr */
	assert_int_equal(trap(0xA055, 0xFF123456, 0).d0, mode32 ? 0xFF123456 : 0x123456);
	r = trap(0xA066, 0, 0); /* _NewEmptyHandle */
	assert_int_equal(r32(r.a0), 0);
	assert_int_equal(HandleZone(&mm, r.a0), APPL_START);
	/* _InitZone takes a parameter block: startPtr, limitPtr, cMoreMasters, pGrowZone. */
	gaddr zone = NewPtr(&mm, 0x4000), pb = NewPtr(&mm, 14);
	w32(pb, zone);
	w32(pb + 4, zone + 0x4000);
	gwrite16(win, mm.mask, pb + 8, 8);
	w32(pb + 10, 0x4444);
	assert_int_equal(trap(0xA019, 0, pb).d0, 0);
	assert_int_equal(GetZone(&mm), zone);
	assert_int_equal(r32(zone + 16), 0x4444);
	assert_int_equal(r16(zone + 20), 8);
	assert_zone_sound(zone);
	assert_int_equal(trap(0xA01B, 0, APPL_START).d0, 0); /* _SetZone */
	assert_int_equal(GetZone(&mm), APPL_START);
	/* The rest of the table, each checked by its effect. */
	gaddr g = NewHandle(&mm, 40);
	assert_int_equal(trap(0xA049, 0, g).d0, 0); /* _HPurge */
	assert_int_equal(HGetState(&mm, g), 0x40);
	assert_int_equal(trap(0xA04A, 0, g).d0, 0); /* _HNoPurge */
	assert_int_equal(trap(0xA067, 0, g).d0, 0); /* _HSetRBit */
	assert_int_equal(HGetState(&mm, g), 0x20);
	assert_int_equal(trap(0xA068, 0, g).d0, 0);				  /* _HClrRBit */
	assert_int_equal(trap(0xA029, 0, g).d0, 0);				  /* _HLock */
	assert_int_equal(trap(0xA064, 0, g).d0, (uint32_t)(int32_t)memLockedErr); /* _MoveHHi */
	assert_int_equal(trap(0xA02A, 0, g).d0, 0);				  /* _HUnlock */
	assert_int_equal(trap(0xA064, 0, g).d0, 0);
	assert_int_equal(trap(0xA027, 80, g).d0, 0); /* _ReallocHandle */
	assert_int_equal(GetHandleSize(&mm, g), 80);
	assert_int_equal(trap(0xA02B, 0, g).d0, 0); /* _EmptyHandle */
	assert_int_equal(r32(g), 0);
	assert_int_equal(trap(0xA023, 0, g).d0, 0);  /* _DisposeHandle */
	assert_int_equal(trap(0xA020, 32, p).d0, 0); /* _SetPtrSize */
	assert_int_equal(GetPtrSize(&mm, p), 32);
	assert_int_equal(trap(0xA040, 1000, 0).d0, 0);		   /* _ResrvMem */
	assert_int_equal(trap(0xA04C, 100, 0).d0, MaxBlock(&mm));  /* _CompactMem */
	assert_int_equal(trap(0xA04D, 100, 0).d0, 0);		   /* _PurgeMem */
	assert_int_equal(trap(0xA061, 0, 0).d0, MaxBlock(&mm));	   /* _MaxBlock */
	assert_int_equal(trap(0xA461, 0, 0).d0, MaxBlockSys(&mm)); /* _MaxBlock,SYS */
	assert_int_equal(trap(0xA04B, 0, 0x2468).d0, 0);	   /* _SetGrowZone */
	assert_int_equal(r32(APPL_START + 16), 0x2468);
	uint32_t masters = r16(APPL_START + 34);
	assert_int_equal(trap(0xA036, 0, 0).d0, 0); /* _MoreMasters */
	assert_int_equal(r16(APPL_START + 34), masters + 32);
	assert_int_equal(trap(0xA063, 0, 0).d0, 0); /* _MaxApplZone */
	assert_int_equal(r32(0x114), APPL_LIMIT - (mode32 ? 16 : 12));
	assert_int_equal(trap(0xA02D, 0, APPL_START).d0,
			 (uint32_t)(int32_t)memFullErr);		   /* _SetApplLimit */
	assert_false(mm_register_trap(&mm, 0xA02F, &(struct mm_regs){0})); /* _PostEvent */
	struct mm_regs other = {0};
	assert_false(mm_register_trap(&mm, 0xA000, &other)); /* _Open: not ours */
	assert_false(mm_register_trap(&mm, 0xA922, &other)); /* a Toolbox trap */
	assert_string_equal(mm_trap_name(0xA322), "NewHandle");
	assert_string_equal(mm_trap_name(0xA148), "PtrZone");
	assert_null(mm_trap_name(0xA000));
	assert_all_sound();
	assert_int_equal(trap(0xA02C, 0, 0).d0, 0); /* _InitApplZone */
	assert_int_equal(r32(0x114), APPL_END - (mode32 ? 16 : 12));
	assert_zone_sound(APPL_START);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(traps_follow_the_register_conventions, setup, teardown),
};

int main(void)
{
	mode32 = false;
	int failed = cmocka_run_group_tests_name("memory manager traps, 24-bit", tests, NULL, NULL);
	mode32 = true;
	failed += cmocka_run_group_tests_name("memory manager traps, 32-bit", tests, NULL, NULL);
	return failed ? 1 : 0;
}
