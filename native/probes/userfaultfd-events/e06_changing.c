/* A6: ioctls while a non-cooperative event is pending (ctx->mmap_changing) */
#include "ev.h"
#define E0 (BASE + 0x400000UL)
static int U, U2, g_mfd;
static long munmap_fn(struct actor *a) { return munmap((void *)a->a[0], a->a[1]); }
static long mremap_fn(struct actor *a) { return (long)mremap((void *)a->a[0], a->a[1], a->a[2], (int)a->a[3], (void *)a->a[4]); }
static long madv_fn(struct actor *a) { return madvise((void *)a->a[0], a->a[1], (int)a->a[2]); }
static void mkA0(void)
{
	/* A0: anon MISSING|WP, 8 pages, page0 populated */
	map_at(A0, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	memset((void *)A0, 0x11, 1);
	uffd_reg(U, A0, 8 * PG, UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP, NULL);
}
static void setup(__u64 feat)
{
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, feat);
	mkA0();
	/* C0, D0: anon MISSING, populated (event sources) */
	for (unsigned long at = C0; at <= D0; at += 0x100000) {
		map_at(at, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		for (int i = 0; i < 4; i++) memset((void *)(at + i * PG), 0x22, 1);
		uffd_reg(U, at, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	}
	/* E0: memfd MAP_SHARED, MINOR, page 0 in page cache */
	g_mfd = memfd_create("e", 0);
	ftruncate(g_mfd, 4 * PG);
	pwrite(g_mfd, "x", 1, 0);
	map_at(E0, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, g_mfd);
	uffd_reg(U, E0, 4 * PG, UFFDIO_REGISTER_MODE_MINOR, NULL);
	/* B0: second uffd U2, anon MISSING */
	U2 = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U2, 0);
	map_at(B0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U2, B0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
}
static void teardown(void)
{
	close(U); close(U2); close(g_mfd);
	cleanup_all();
}
static char srcbuf[PG] __attribute__((aligned(4096)));
static void all_ioctls(const char *when)
{
	printf("[%s]   -- ioctls %s\n", WHO, when);
	int e;
	long r;
	struct uffdio_copy c = {.dst = A0 + PG, .src = (unsigned long)srcbuf, .len = PG, .copy = SENT};
	r = xioctl(U, UFFDIO_COPY, &c, &e);
	printf("[%s]     COPY valid (A0+1p missing)            -> %ld %s copy=%lld\n", WHO, r, r ? en(e) : "-", (long long)c.copy);
	c = (struct uffdio_copy){.dst = A0, .src = (unsigned long)srcbuf, .len = 0, .mode = 99, .copy = SENT};
	r = xioctl(U, UFFDIO_COPY, &c, &e);
	printf("[%s]     COPY invalid (len 0, mode 99)         -> %ld %s copy=%lld\n", WHO, r, r ? en(e) : "-", (long long)c.copy);
	r = xioctl(U, UFFDIO_COPY, NULL, &e);
	printf("[%s]     COPY arg NULL                         -> %ld %s\n", WHO, r, r ? en(e) : "-");
	struct uffdio_zeropage z = {.range = {A0 + 2 * PG, PG}, .zeropage = SENT};
	r = xioctl(U, UFFDIO_ZEROPAGE, &z, &e);
	printf("[%s]     ZEROPAGE valid (A0+2p)                -> %ld %s zeropage=%lld\n", WHO, r, r ? en(e) : "-", (long long)z.zeropage);
	struct uffdio_continue ct = {.range = {E0, PG}, .mapped = SENT};
	r = xioctl(U, UFFDIO_CONTINUE, &ct, &e);
	printf("[%s]     CONTINUE valid (E0 page cache)        -> %ld %s mapped=%lld\n", WHO, r, r ? en(e) : "-", (long long)ct.mapped);
	struct uffdio_poison_ po = {.range = {A0 + 3 * PG, PG}, .updated = SENT};
	r = xioctl(U, UFFDIO_POISON_, &po, &e);
	printf("[%s]     POISON valid (A0+3p)                  -> %ld %s updated=%lld\n", WHO, r, r ? en(e) : "-", (long long)po.updated);
	struct uffdio_move_ mv = {.dst = A0 + 4 * PG, .src = A0, .len = PG, .move = SENT};
	r = xioctl(U, UFFDIO_MOVE_, &mv, &e);
	printf("[%s]     MOVE valid (A0 -> A0+4p)              -> %ld %s move=%lld\n", WHO, r, r ? en(e) : "-", (long long)mv.move);
	struct uffdio_writeprotect wp = {.range = {A0, PG}, .mode = UFFDIO_WRITEPROTECT_MODE_WP};
	r = xioctl(U, UFFDIO_WRITEPROTECT, &wp, &e);
	printf("[%s]     WRITEPROTECT(WP) A0                   -> %ld %s\n", WHO, r, r ? en(e) : "-");
	wp = (struct uffdio_writeprotect){.range = {A0, PG}, .mode = 0};
	r = xioctl(U, UFFDIO_WRITEPROTECT, &wp, &e);
	printf("[%s]     WRITEPROTECT(0) A0                    -> %ld %s\n", WHO, r, r ? en(e) : "-");
	r = xioctl(U, UFFDIO_WRITEPROTECT, NULL, &e);
	printf("[%s]     WRITEPROTECT arg NULL                 -> %ld %s\n", WHO, r, r ? en(e) : "-");
	struct uffdio_range wr = {A0, 4 * PG};
	r = xioctl(U, UFFDIO_WAKE, &wr, &e);
	printf("[%s]     WAKE A0                               -> %ld %s\n", WHO, r, r ? en(e) : "-");
	struct uffdio_register rg = {.range = {A0, 4 * PG}, .mode = UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP};
	r = xioctl(U, UFFDIO_REGISTER, &rg, &e);
	printf("[%s]     REGISTER A0 (again)                   -> %ld %s ioctls=%#llx\n", WHO, r, r ? en(e) : "-", (unsigned long long)rg.ioctls);
	struct uffdio_api ap = {.api = UFFD_API};
	r = xioctl(U, UFFDIO_API, &ap, &e);
	printf("[%s]     API                                   -> %ld %s\n", WHO, r, r ? en(e) : "-");
	c = (struct uffdio_copy){.dst = B0 + PG, .src = (unsigned long)srcbuf, .len = PG, .copy = SENT};
	r = xioctl(U2, UFFDIO_COPY, &c, &e);
	printf("[%s]     COPY on U2 (other ctx, B0+1p)         -> %ld %s copy=%lld\n", WHO, r, r ? en(e) : "-", (long long)c.copy);
	c = (struct uffdio_copy){.dst = B0 + 2 * PG, .src = (unsigned long)srcbuf, .len = PG, .copy = SENT};
	r = xioctl(U, UFFDIO_COPY, &c, &e);
	printf("[%s]     COPY on U into U2's range (B0+2p)     -> %ld %s copy=%lld\n", WHO, r, r ? en(e) : "-", (long long)c.copy);
	/* copy field read-only: struct at start of a RO page */
	struct uffdio_copy *ro = mmap((void *)(BASE + 0x500000), PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (ro != MAP_FAILED) {
		*ro = (struct uffdio_copy){.dst = A0 + PG, .src = (unsigned long)srcbuf, .len = PG, .copy = SENT};
		mprotect(ro, PG, PROT_READ);
		r = xioctl(U, UFFDIO_COPY, ro, &e);
		printf("[%s]     COPY with struct on a read-only page  -> %ld %s copy=%lld\n", WHO, r, r ? en(e) : "-", (long long)ro->copy);
		munmap(ro, PG);
	}
}
static void undo(void)
{
	/* reset state changed by successful ioctls so the next "all_ioctls" sees the same state */
	struct uffdio_range r = {A0, 8 * PG};
	ioctl(U, UFFDIO_UNREGISTER, &r);
	munmap((void *)A0, 8 * PG);
	mkA0();
	struct uffdio_range re = {E0, 4 * PG};
	ioctl(U, UFFDIO_UNREGISTER, &re);
	madvise((void *)E0, PG, MADV_DONTNEED);
	uffd_reg(U, E0, 4 * PG, UFFDIO_REGISTER_MODE_MINOR, NULL);
	madvise((void *)(B0 + PG), 2 * PG, MADV_DONTNEED);
}
static void with_event(const char *name, __u64 feat, struct actor *a)
{
	printf("[%s] ---- %s\n", WHO, name);
	setup(feat);
	memset(srcbuf, 0x77, PG);
	all_ioctls("with no event pending (baseline)");
	undo();
	actor_start(a);
	int was = actor_wait(a, 300);
	printf("[%s]   %s done within 300ms=%d\n", WHO, a->name, was);
	all_ioctls("while the event is pending (not read)");
	undo();
	struct uffd_msg m;
	read1(U, 500, &m);
	/* immediately after read: race with the caller waking up */
	struct uffdio_copy c = {.dst = A0 + PG, .src = (unsigned long)srcbuf, .len = PG, .copy = SENT};
	int e;
	long r = xioctl(U, UFFDIO_COPY, &c, &e);
	printf("[%s]   COPY immediately after read(): %ld %s copy=%lld (actor done=%d)\n", WHO, r, r ? en(e) : "-", (long long)c.copy, a->done);
	actor_finish(a, 2000);
	actor_report(a);
	undo();
	all_ioctls("after the caller returned");
	teardown();
}
static void two_pending(void)
{
	printf("[%s] ---- two UNMAP events pending (munmap C0 and D0 in two threads): counter semantics\n", WHO);
	setup(F_EVUNMAP);
	memset(srcbuf, 0x77, PG);
	struct actor e1 = {.name = "munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
	struct actor e2 = {.name = "munmap(D0)", .fn = munmap_fn, .a = {D0, 4 * PG}};
	actor_start(&e1);
	usleep(100000);
	actor_start(&e2);
	usleep(100000);
	struct uffd_msg m;
	read1(U, 500, &m);
	print_msg("read 1", &m);
	usleep(100000);
	printf("[%s]   e1 done=%d e2 done=%d\n", WHO, e1.done, e2.done);
	printf("[%s]   COPY after 1 of 2 events read: %ld\n", WHO, do_copy(U, A0 + PG, 0x77, PG));
	read1(U, 500, &m);
	print_msg("read 2", &m);
	actor_finish(&e1, 2000);
	actor_finish(&e2, 2000);
	printf("[%s]   COPY after both read + callers returned: %ld\n", WHO, do_copy(U, A0 + PG, 0x77, PG));
	teardown();
}
static void fault_during_event(void)
{
	printf("[%s] ---- fault in a registered range while an UNMAP event is pending\n", WHO);
	setup(F_EVUNMAP);
	struct actor e1 = {.name = "munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
	actor_start(&e1);
	usleep(100000);
	struct actor t = {.name = "read-touch A0+1p", .fn = touch_fn, .a = {A0 + PG}};
	actor_start(&t);
	usleep(100000);
	fdinfo_of("fault+event", U);
	struct uffd_msg m;
	read1(U, 500, &m);
	print_msg("first read", &m);
	long r = do_copy(U, A0 + PG, 0x77, PG);
	printf("[%s]   COPY to resolve the fault while the event is still pending: %ld\n", WHO, r);
	struct uffdio_range wr = {A0 + PG, PG};
	printf("[%s]   WAKE -> %d\n", WHO, ioctl(U, UFFDIO_WAKE, &wr));
	usleep(100000);
	printf("[%s]   toucher done=%d\n", WHO, t.done);
	fdinfo_of("after WAKE", U);
	for (int i = 0; i < 5; i++) {
		if (!read1(U, 500, &m)) break;
		print_msg("next read", &m);
		if (m.event == UFFD_EVENT_UNMAP) break;
	}
	actor_finish(&e1, 2000);
	r = do_copy(U, A0 + PG, 0x77, PG);
	printf("[%s]   COPY after event read: %ld\n", WHO, r);
	actor_finish(&t, 2000);
	printf("[%s]   toucher value %#lx\n", WHO, t.ret);
	teardown();
}
static void body(void)
{
	struct actor a;
	a = (struct actor){.name = "munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
	with_event("UNMAP pending (munmap C0)", F_EVUNMAP, &a);
	a = (struct actor){.name = "madvise(C0, DONTNEED)", .fn = madv_fn, .a = {C0, 4 * PG, MADV_DONTNEED}};
	with_event("REMOVE pending (madvise C0 DONTNEED)", F_EVREMOVE, &a);
	a = (struct actor){.name = "mremap(C0->C0+0x80000)", .fn = mremap_fn, .a = {C0, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, C0 + 0x80000}};
	with_event("REMAP pending (mremap C0)", F_EVREMAP, &a);
	two_pending();
	fault_during_event();
}
int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both3("e06_changing", body);
	return 0;
}
