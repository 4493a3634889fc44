/* Which heap block holds an address, for the debugger's wh and stack
 * crawl: a walk of one zone's blocks as the Memory Manager lays them out
 * (toolbox/memory/), kept apart because it needs the Memory Manager's
 * internal header. */
#include "config.h"

#include "toolbox/debugger/debugger.h"
#include "toolbox/memory/memory.h"
#include "toolbox/memory/mm_internal.h"

#include <stdio.h>
#include <string.h>

/* The heap block of zone z holding a: its data address, type and size. */
bool dbg_heap_block(struct mm *m, gaddr z, gaddr a, char *buf, size_t len, gaddr *handle)
{
	*handle = 0;
	gaddr lim = zone_limit(m, z);
	for (gaddr b = zone_first(m, z); b < lim;) {
		uint32_t s = blk_size(m, b);
		if (s < min_block(m) || s > lim - b)
			return false;
		if (a >= b && a < b + s) {
			unsigned t = blk_tag(m, b);
			gaddr data = blk_data(m, b);
			const char *kind = t == tagFree	  ? "free"
					   : t == tagNRel ? "nonrelocatable"
							  : "relocatable";
			int n = snprintf(buf, len, "in the %s heap, %s block at %08X (%X bytes)",
					 z == SystemZone(m) ? "system" : "application", kind, data,
					 t == tagFree ? s - hdr_size(m) : blk_logical(m, b));
			if (t == tagRel && n > 0 && (size_t)n < len) {
				*handle = z + blk_link(m, b);
				snprintf(buf + n, len - (size_t)n, ", handle %08X", *handle);
			}
			if (a < data && n > 0)
				snprintf(buf + strlen(buf), len - strlen(buf), " (in its header)");
			return true;
		}
		b += s;
	}
	return false;
}
