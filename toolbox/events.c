/* A minimal Event Manager event queue in guest memory (Inside Macintosh:
 * Macintosh Toolbox Essentials, ch. 2; Volume II, ch. 3): PostEvent,
 * OSEventAvail, GetOSEvent, FlushEvents, GetNextEvent and EventAvail on the
 * queue whose header is the low-memory global EventQueue ($14A). PostEvent
 * is user code to System 7 VM: while paging is unsafe the post waits in
 * the deferred user function table and is made when paging is safe again,
 * in order with every other post. */
#include "config.h"

#include "toolbox/tb.h"

/* EvQEl: qLink 0, qType 4 (evType = 4), evtQWhat 6, evtQMessage 8,
 * evtQWhen 12, evtQWhere 16, evtQModifiers 20; 22 bytes. EventRecord:
 * what 0, message 2, when 6, where 10, modifiers 14; 16 bytes. */
enum {
	Q_LINK = 0,
	Q_TYPE = 4,
	Q_WHAT = 6,
	Q_MESSAGE = 8,
	Q_WHEN = 12,
	Q_WHERE = 16,
	Q_MODIFIERS = 20,
	EVQEL_SIZE = 22,
	evType = 4,
	FREE_WHAT = 0xFFFF, /* vm68k's mark of a free element of SysEvtBuf */
	EVENT_COUNT = 20,   /* elements in SysEvtBuf (EvtBufCnt + 1) */
	QHEAD = EventQueue + 2,
	QTAIL = EventQueue + 6,
	btnState = 0x0080, /* modifiers bit 7: the mouse button is up */
	evtNotEnb = 1,
	everyEventNoKeyUp = 0xFFEF, /* SysEvtMask at start-up: every event but keyUp */
};

bool tb_events_init(struct toolbox *tb)
{
	gaddr buf = NewPtrSysClear(&tb->mm, EVENT_COUNT * EVQEL_SIZE);
	if (buf == 0)
		return false;
	for (unsigned i = 0; i < EVENT_COUNT; i++)
		wr16(tb, buf + i * EVQEL_SIZE + Q_WHAT, FREE_WHAT);
	wr32(tb, SysEvtBuf, buf);
	wr16(tb, EvtBufCnt, EVENT_COUNT - 1);
	wr16(tb, SysEvtMask, everyEventNoKeyUp);
	wr16(tb, EventQueue, 0); /* qFlags */
	wr32(tb, QHEAD, 0);
	wr32(tb, QTAIL, 0);
	return true;
}

/* Unlinks el (whose predecessor is prev, 0 for the head) and frees it. */
static void unlink_el(struct toolbox *tb, gaddr prev, gaddr el)
{
	gaddr next = rd32(tb, el + Q_LINK);
	if (prev)
		wr32(tb, prev + Q_LINK, next);
	else
		wr32(tb, QHEAD, next);
	if (rd32(tb, QTAIL) == el)
		wr32(tb, QTAIL, prev);
	wr16(tb, el + Q_WHAT, FREE_WHAT);
	wr32(tb, el + Q_LINK, 0);
}

/* Puts an event at the tail of the queue; with no free element the
 * oldest event makes room, as PostEvent does on a Mac. */
static void post(struct toolbox *tb, uint16_t what, uint32_t message, uint32_t when)
{
	gaddr buf = rd32(tb, SysEvtBuf);
	unsigned n = (unsigned)rd16(tb, EvtBufCnt) + 1;
	gaddr el = 0;
	for (unsigned i = 0; i < n && el == 0; i++)
		if (rd16(tb, buf + i * EVQEL_SIZE + Q_WHAT) == FREE_WHAT)
			el = buf + i * EVQEL_SIZE;
	if (el == 0) {
		el = rd32(tb, QHEAD);
		unlink_el(tb, 0, el);
		tb->events_lost++;
	}
	wr32(tb, el + Q_LINK, 0);
	wr16(tb, el + Q_TYPE, evType);
	wr16(tb, el + Q_WHAT, what);
	wr32(tb, el + Q_MESSAGE, message);
	wr32(tb, el + Q_WHEN, when);
	wr32(tb, el + Q_WHERE, 0); /* no mouse: (0, 0) */
	wr16(tb, el + Q_MODIFIERS, btnState);
	gaddr tail = rd32(tb, QTAIL);
	if (tail)
		wr32(tb, tail + Q_LINK, el);
	else
		wr32(tb, QHEAD, el);
	wr32(tb, QTAIL, el);
	tb->events_posted++;
}

/* _PostEvent ($A02F): A0.W the event code, D0 the message; D0 noErr, or
 * evtNotEnb (1) when SysEvtMask excludes the event. While paging is unsafe,
 * and while earlier deferred posts are still waiting, the post goes
 * through the deferred user function table (its overflow is system error
 * 112) and is made by the ROM's stub when paging is safe. */
NATIVE(PostEvent)
{
	(void)call;
	struct cpu *c = &tb->cpu;
	uint16_t what = (uint16_t)c->a[0];
	uint32_t message = c->d[0];
	if (what > 15 || !(rd16(tb, SysEvtMask) & (1u << what))) {
		c->d[0] = evtNotEnb;
		return;
	}
	uint32_t when = tb_ticks(tb);
	if (vmint_paging_unsafe(tb) || tb->events_waiting) {
		struct vmint_call d = {.proc = tb->stub_post_event,
				       .d0 = message,
				       .a0 = what,
				       .a1 = when,
				       .kind = VK_POST_EVENT,
				       .due_ns = tb_guest_ns(tb)};
		if (!vmint_defer(tb, &d))
			return; /* system error 112 */
		tb->events_waiting++;
		tb->events_deferred++;
		c->d[0] = 0;
		return;
	}
	post(tb, what, message, when);
	c->d[0] = 0;
}

/* The deferred post, called as 68K code from the deferred user function
 * table: D0 the message, A0 the event code, A1 when it was posted. */
void tb_post_event_stub(struct toolbox *tb)
{
	struct cpu *c = &tb->cpu;
	post(tb, (uint16_t)c->a[0], c->d[0], c->a[1]);
	if (tb->events_waiting)
		tb->events_waiting--;
	c->pc = rd32(tb, c->a[7]); /* RTS */
	c->a[7] += 4;
}

/* Finds the first queued event whose code is in mask; copies it to the
 * EventRecord at rec (or a null event) and removes it if `take`. Returns
 * whether one was found. */
static bool next_event(struct toolbox *tb, uint16_t mask, gaddr rec, bool take)
{
	gaddr prev = 0;
	for (gaddr el = rd32(tb, QHEAD); el; prev = el, el = rd32(tb, el + Q_LINK)) {
		uint16_t what = (uint16_t)rd16(tb, el + Q_WHAT);
		if (what > 15 || !(mask & (1u << what)))
			continue;
		wr16(tb, rec + 0, what);
		wr32(tb, rec + 2, rd32(tb, el + Q_MESSAGE));
		wr32(tb, rec + 6, rd32(tb, el + Q_WHEN));
		wr32(tb, rec + 10, rd32(tb, el + Q_WHERE));
		wr16(tb, rec + 14, rd16(tb, el + Q_MODIFIERS));
		if (take)
			unlink_el(tb, prev, el);
		return true;
	}
	wr16(tb, rec + 0, 0); /* nullEvent */
	wr32(tb, rec + 2, 0);
	wr32(tb, rec + 6, tb_ticks(tb));
	wr32(tb, rec + 10, 0);
	wr16(tb, rec + 14, btnState);
	return false;
}

/* _OSEventAvail ($A030) and _GetOSEvent ($A031): D0.W the mask, A0 the
 * EventRecord; D0 0 for an event, -1 for a null event. */
NATIVE(OSEventAvail)
{
	struct cpu *c = &tb->cpu;
	bool take = (call->word & 0xFF) == 0x31;
	bool found = next_event(tb, (uint16_t)c->d[0], c->a[0], take);
	c->d[0] = found ? 0 : 0xFFFFFFFFu;
}

/* _FlushEvents ($A032): D0 low word the events to remove, high word the
 * events that stop it; D0 0, or the code of the event that stopped it. */
NATIVE(FlushEvents)
{
	(void)call;
	struct cpu *c = &tb->cpu;
	uint16_t mask = (uint16_t)c->d[0], stop = (uint16_t)(c->d[0] >> 16);
	gaddr prev = 0, el = rd32(tb, QHEAD);
	uint32_t r = 0;
	while (el) {
		uint16_t what = (uint16_t)rd16(tb, el + Q_WHAT);
		gaddr next = rd32(tb, el + Q_LINK);
		if (what <= 15 && (stop & (1u << what))) {
			r = what;
			break;
		}
		if (what <= 15 && (mask & (1u << what)))
			unlink_el(tb, prev, el);
		else
			prev = el;
		el = next;
	}
	c->d[0] = r;
}

/* GetNextEvent ($A970) and EventAvail ($A971): FUNCTION (eventMask:
 * INTEGER; VAR theEvent: EventRecord): BOOLEAN. vm68k has no windows, mouse
 * or keyboard: only posted events (and null events) come back. */
NATIVE(GetNextEvent)
{
	bool take = call->word == 0xA970;
	uint16_t mask = (uint16_t)tb_param(tb, call, 1);
	gaddr rec = tb_param(tb, call, 2);
	tb_result(tb, call, next_event(tb, mask, rec, take) ? 0x01 : 0);
}
