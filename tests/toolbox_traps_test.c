/* The trap description table (toolbox/traps.def) and the low-memory table
 * (toolbox/lowmem.c) are consistent: one row per trap number, OS traps
 * register-based and Toolbox traps Pascal stack-based (SysError excepted,
 * as on a Mac), names found by trap word whatever its flag bits, low-memory
 * globals at distinct, non-overlapping addresses below the trap tables. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "toolbox/tb.h"

static unsigned slot(uint16_t w)
{
	return (w & 0x0800) ? 256 + (w & 0x3FF) : (w & 0xFF);
}

static void every_trap_number_has_one_row(void **state)
{
	(void)state;
	for (unsigned i = 0; i < trap_desc_count; i++)
		for (unsigned j = i + 1; j < trap_desc_count; j++)
			if (slot(trap_descs[i].word) == slot(trap_descs[j].word))
				fail_msg("%s and %s share a trap number", trap_descs[i].name,
					 trap_descs[j].name);
}

static void os_traps_are_register_based_toolbox_traps_pascal(void **state)
{
	(void)state;
	for (unsigned i = 0; i < trap_desc_count; i++) {
		const struct trap_desc *d = &trap_descs[i];
		if (d->fn == NULL)
			continue;
		unsigned conv = d->proc_info & 0xF;
		if (!(d->word & 0x0800))
			assert_int_equal(conv, kRegisterBased);
		else if (strcmp(d->name, "SysError") == 0)
			assert_int_equal(conv, kRegisterBased);
		else
			assert_int_equal(conv, kPascalStackBased);
	}
}

static void trap_names_ignore_flag_bits(void **state)
{
	(void)state;
	assert_string_equal(toolbox_trap_name(0xA11E), "NewPtr");
	assert_string_equal(toolbox_trap_name(0xA31E), "NewPtr"); /* NewPtrClear */
	assert_string_equal(toolbox_trap_name(0xA51E), "NewPtr"); /* NewPtrSys */
	assert_string_equal(toolbox_trap_name(0xA746),
			    "GetTrapAddress"); /* GetToolboxTrapAddress */
	assert_string_equal(toolbox_trap_name(0xA9A0), "GetResource");
	assert_string_equal(toolbox_trap_name(0xAFFF), "DebugStr"); /* auto-pop form */
	assert_string_equal(toolbox_trap_name(0xADFF),
			    "Debugger"); /* bit 10 is not in the number */
	assert_null(toolbox_trap_name(0x4E75));
}

static void low_memory_globals_do_not_overlap(void **state)
{
	(void)state;
	for (unsigned i = 0; i < lowmem_global_count; i++) {
		const struct lowmem_global *a = &lowmem_globals[i];
		assert_true(a->addr >= 0x100 && a->addr + a->size <= 0x2000);
		assert_int_equal(lm_addr(a->name), a->addr);
		for (unsigned j = i + 1; j < lowmem_global_count; j++) {
			const struct lowmem_global *b = &lowmem_globals[j];
			if (a->addr < b->addr + b->size && b->addr < a->addr + a->size)
				fail_msg("%s and %s overlap", a->name, b->name);
		}
	}
	assert_int_equal(lm_addr("CurrentA5"), 0x0904);
	assert_int_equal(lm_addr("NoSuchGlobal"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_trap_number_has_one_row),
	    cmocka_unit_test(os_traps_are_register_based_toolbox_traps_pascal),
	    cmocka_unit_test(trap_names_ignore_flag_bits),
	    cmocka_unit_test(low_memory_globals_do_not_overlap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
