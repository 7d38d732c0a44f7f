/* B: WP faults: messages, blocking, resolution, DONTWAKE, WAKE, SIGBUS, WP_ASYNC */
#include "common2.h"
static int U;
static void setup(__u64 F, __u64 regmode, int npages)
{
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, F);
	map_at(BASE, npages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	for (int i = 0; i < npages; i++) *(volatile char *)(BASE + i * PG) = 0x10 + i;
	uffd_reg(U, BASE, npages * PG, regmode, NULL);
}
static void td(int npages) { close(U); munmap((void *)BASE, npages * PG); }
static void msgcase(__u64 F, const char *name)
{
	printf("[%s] -- message format, features=%#llx (%s)\n", WHO, (unsigned long long)F, name);
	setup(F, 2, 4);
	WP(U, "protect 0..3", BASE, 4 * PG, WPM_WP);
	struct toucher t;
	spawn(&t, BASE + PG + 0x123, 0, 0);
	pthread_join(t.th, NULL);
	printf("[%s]   read of protected page: done=%d val=%#x\n", WHO, t.done, t.val);
	struct uffd_msg m;
	printf("[%s]   pending after read: %s\n", WHO, read_msg(U, &m, 50) ? "MSG" : "none");
	spawn(&t, BASE + PG + 0x123, 1, 0x77);
	int got = read_msg(U, &m, 300);
	printf("[%s]   write: got msg=%d (toucher tid=%d)\n", WHO, got, t.tid);
	if (got) dump_msg("wp", &m);
	hex("raw", &m, 32);
	usleep(200000);
	printf("[%s]   toucher done after 200ms=%d\n", WHO, t.done);
	fdinfo_of(U, "blocked");
	pm("page1 while blocked", BASE + PG);
	WP(U, "resolve mode=0 page1", BASE + PG, PG, 0);
	pthread_join(t.th, NULL);
	printf("[%s]   toucher done=%d val=%#x\n", WHO, t.done, t.val);
	pm("page1 after", BASE + PG);
	fdinfo_of(U, "after");
	td(4);
}
struct pa { int fd; unsigned long a; volatile long r; volatile int e; volatile int d; };
static void *pipefn(void *p) { struct pa *x = p; errno = 0; x->r = read(x->fd, (void *)x->a, 3); x->e = errno; x->d = 1; return NULL; }
static char src[4096] __attribute__((aligned(4096)));
static void body(void)
{
	catch_sigs();
	msgcase(0, "none");
	msgcase(UFFD_FEATURE_PAGEFAULT_FLAG_WP, "PAGEFAULT_FLAG_WP");
	msgcase(UFFD_FEATURE_EXACT_ADDRESS, "EXACT_ADDRESS");
	msgcase(UFFD_FEATURE_THREAD_ID | UFFD_FEATURE_EXACT_ADDRESS, "THREAD_ID|EXACT_ADDRESS");

	printf("[%s] -- DONTWAKE / WAKE\n", WHO);
	setup(0, 2, 4);
	WP(U, "protect 0..3", BASE, 4 * PG, WPM_WP);
	{
		struct toucher t; struct uffd_msg m;
		spawn(&t, BASE + 2 * PG + 8, 1, 0x55);
		read_msg(U, &m, 300); dump_msg("page2", &m);
		WP(U, "unprotect page2 DONTWAKE", BASE + 2 * PG, PG, WPM_DONTWAKE);
		pm("page2 after DONTWAKE unprotect", BASE + 2 * PG);
		usleep(300000);
		printf("[%s]   after 300ms done=%d\n", WHO, t.done);
		fdinfo_of(U, "after DONTWAKE");
		struct uffdio_range r = {BASE + 2 * PG, PG};
		int rr = ioctl(U, UFFDIO_WAKE, &r);
		usleep(100000);
		printf("[%s]   UFFDIO_WAKE -> %d; done=%d val=%#x\n", WHO, rr, t.done, t.val);
		fdinfo_of(U, "after WAKE");
		printf("[%s]   extra msg after WAKE: %s\n", WHO, read_msg(U, &m, 100) ? "YES" : "none");
		pthread_join(t.th, NULL);

		/* WAKE on still-protected page */
		spawn(&t, BASE + 3 * PG + 8, 1, 0x66);
		read_msg(U, &m, 300); dump_msg("page3 first", &m);
		fdinfo_of(U, "blocked page3");
		rr = ioctl(U, UFFDIO_WAKE, &(struct uffdio_range){BASE + 3 * PG, PG});
		usleep(200000);
		printf("[%s]   WAKE on still-protected page3 -> %d; done=%d\n", WHO, rr, t.done);
		fdinfo_of(U, "after WAKE page3");
		if (read_msg(U, &m, 300)) dump_msg("page3 re-fault", &m); else printf("[%s]   no new msg\n", WHO);
		/* protect again while blocked (mode=WP) - doesn't wake */
		WP(U, "protect page3 again while blocked", BASE + 3 * PG, PG, WPM_WP);
		usleep(100000);
		printf("[%s]   after re-protect done=%d\n", WHO, t.done);
		/* unprotect a different page mode=0 - wakes only range */
		WP(U, "unprotect page0 (other page) mode=0", BASE, PG, 0);
		usleep(100000);
		printf("[%s]   done=%d\n", WHO, t.done);
		/* wake a range covering page3 via unprotect of page 2..3 DONTWAKE then wake 0..4 */
		WP(U, "unprotect page3 mode=0", BASE + 3 * PG, PG, 0);
		pthread_join(t.th, NULL);
		printf("[%s]   done=%d val=%#x\n", WHO, t.done, t.val);
		fdinfo_of(U, "end");

		/* two threads blocked on same page, one unprotect wakes both */
		WP(U, "protect page1", BASE + PG, PG, WPM_WP);
		struct toucher t2 = {0};
		spawn(&t, BASE + PG, 1, 0x1);
		usleep(50000);
		t2.addr = BASE + PG + 0x800; t2.write = 1; t2.wval = 2; pthread_create(&t2.th, NULL, touch_fn, &t2);
		usleep(100000);
		fdinfo_of(U, "two blocked on page1");
		read_msg(U, &m, 100); dump_msg("t1", &m);
		read_msg(U, &m, 100); dump_msg("t2", &m);
		WP(U, "unprotect page1", BASE + PG, PG, 0);
		pthread_join(t.th, NULL); pthread_join(t2.th, NULL);
		printf("[%s]   both done: %d %d\n", WHO, t.done, t2.done);
		/* close with blocked WP writer */
		WP(U, "protect page1", BASE + PG, PG, WPM_WP);
		spawn(&t, BASE + PG + 4, 1, 0x99);
		read_msg(U, &m, 300);
		dump_msg("before close", &m);
		fdinfo_of(U, "before close");
		close(U);
		usleep(100000);
		printf("[%s]   after close: done=%d val=%#x\n", WHO, t.done, t.val);
		if (t.done) pthread_join(t.th, NULL);
	}
	pm("page1 after close", BASE + PG);
	vmas("after close", BASE, BASE + 4 * PG);
	munmap((void *)BASE, 4 * PG);

	/* UNREGISTER with blocked WP writer */
	printf("[%s] -- UNREGISTER with blocked WP writer\n", WHO);
	setup(0, 2, 4);
	WP(U, "protect 0..3", BASE, 4 * PG, WPM_WP);
	{
		struct toucher t; struct uffd_msg m;
		spawn(&t, BASE + PG, 1, 0x42);
		read_msg(U, &m, 300);
		struct uffdio_range r = {BASE, 4 * PG};
		int rr = ioctl(U, UFFDIO_UNREGISTER, &r);
		usleep(100000);
		printf("[%s]   UNREGISTER -> %d; done=%d val=%#x\n", WHO, rr, t.done, t.val);
		usleep(300000);
		printf("[%s]   300ms after UNREGISTER: done=%d\n", WHO, t.done);
		fdinfo_of(U, "after unregister");
		pm("page1", BASE + PG);
		pm("page2", BASE + 2 * PG);
		vmas("after unregister", BASE, BASE + 4 * PG);
		rr = ioctl(U, UFFDIO_WAKE, &r);
		usleep(100000);
		printf("[%s]   UFFDIO_WAKE after unregister -> %d; done=%d val=%#x\n", WHO, rr, t.done, t.val);
		fdinfo_of(U, "after wake");
		if (t.done) pthread_join(t.th, NULL);
	}
	td(4);

	/* marker write: page present while blocked? */
	printf("[%s] -- WP_UNPOPULATED marker write: state while blocked\n", WHO);
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, UFFD_FEATURE_WP_UNPOPULATED);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, BASE, 4 * PG, 2, NULL);
	WP(U, "protect 0..3", BASE, 4 * PG, WPM_WP);
	{
		struct toucher t; struct uffd_msg m;
		spawn(&t, BASE + PG + 0x10, 1, 0x42);
		read_msg(U, &m, 300); dump_msg("marker write", &m);
		pm("page1 while blocked", BASE + PG);
		vmas("while blocked", BASE, BASE + 4 * PG);
		WP(U, "unprotect page1", BASE + PG, PG, 0);
		pthread_join(t.th, NULL);
		pm("page1 after", BASE + PG);
	}
	td(4);

	/* SIGBUS feature */
	printf("[%s] -- SIGBUS feature, WP-only registration, WRITEPROTECTed pages\n", WHO);
	for (int ex = 0; ex <= 1; ex++) {
		setup(UFFD_FEATURE_SIGBUS | (ex ? UFFD_FEATURE_EXACT_ADDRESS : 0), 2, 4);
		munmap((void *)(BASE + 3 * PG), PG);
		map_at(BASE + 3 * PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		uffd_reg(U, BASE + 3 * PG, PG, 2, NULL);
		WP(U, "protect 0..3", BASE, 4 * PG, WPM_WP);
		access_at("sigbus read p0", BASE + 0x10, 0, 0);
		access_at("sigbus write p0", BASE + 0x123, 1, 0x31);
		pm("page0", BASE);
		fdinfo_of(U, "sigbus");
		access_at("sigbus write p3 (never touched, no marker)", BASE + 3 * PG + 5, 1, 0x33);
		int pfd[2]; pipe(pfd); write(pfd[1], "abc", 3);
		errno = 0; ssize_t n = read(pfd[0], (void *)(BASE + PG), 3);
		printf("[%s]   read(pipe -> protected page1) = %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		td(4);
	}
	printf("[%s] -- SIGBUS|WP_UNPOPULATED, marker write\n", WHO);
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, UFFD_FEATURE_SIGBUS | UFFD_FEATURE_WP_UNPOPULATED);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, BASE, 4 * PG, 2, NULL);
	WP(U, "protect 0..3", BASE, 4 * PG, WPM_WP);
	access_at("marker read p0", BASE + 0x10, 0, 0);
	pm("page0", BASE);
	access_at("marker write p1", BASE + PG + 0x10, 1, 0x1);
	pm("page1", BASE + PG);
	vmas("after", BASE, BASE + 4 * PG);
	td(4);

	/* kernel-mode write to protected page, blocking uffd */
	printf("[%s] -- kernel write (read(pipe)) into protected page, blocking uffd\n", WHO);
	setup(0, 2, 4);
	WP(U, "protect 0..3", BASE, 4 * PG, WPM_WP);
	{
		fflush(stdout);
		pid_t c = fork();
		if (!c) { alarm(1); int pfd[2]; pipe(pfd); write(pfd[1], "abc", 3);
			errno = 0; ssize_t n = read(pfd[0], (void *)(BASE + PG), 3);
			printf("[%s]   (forked child, own copy) read(pipe->protected) = %zd %s\n", WHO, n, n < 0 ? en(errno) : "-"); fflush(stdout); _exit(0); }
		waitpid(c, NULL, 0);
		struct toucher t; memset(&t, 0, sizeof t);
		/* thread does read(pipe) */
		int pfd[2]; pipe(pfd); write(pfd[1], "abc", 3);
		struct pa a = {pfd[0], BASE + PG, 0, 0, 0};
		pthread_t th; pthread_create(&th, NULL, pipefn, &a);
		struct uffd_msg m;
		if (read_msg(U, &m, 300)) dump_msg("kernel write", &m); else printf("[%s]   no msg\n", WHO);
		usleep(100000);
		printf("[%s]   read(pipe) thread done=%d r=%ld errno=%s\n", WHO, a.d, a.r, a.r < 0 ? en(a.e) : "-");
		WP(U, "unprotect page1", BASE + PG, PG, 0);
		for (int i = 0; i < 30 && !a.d; i++) usleep(10000);
		printf("[%s]   read(pipe) thread done=%d r=%ld errno=%s byte=%c\n", WHO, a.d, a.r, a.r < 0 ? en(a.e) : "-", *(char *)(BASE + PG));
		if (a.d) pthread_join(th, NULL);
	}
	td(4);

	/* WP_ASYNC */
	printf("[%s] -- WP_ASYNC\n", WHO);
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, UFFD_FEATURE_WP_ASYNC);
	map_at(BASE, 6 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	*(volatile char *)BASE = 1; *(volatile char *)(BASE + PG) = 1; (void)*(volatile char *)(BASE + 2 * PG);
	uffd_reg(U, BASE, 6 * PG, 2, NULL);
	WP(U, "protect 0..5", BASE, 6 * PG, WPM_WP);
	for (int i = 0; i < 6; i++) { char b[32]; snprintf(b, sizeof b, "async page%d", i); pm(b, BASE + i * PG); }
	access_at("async write p0 (populated)", BASE + 0x10, 1, 0x21);
	pm("page0 after write", BASE);
	access_at("async read p1 (populated)", BASE + PG, 0, 0);
	pm("page1 after read", BASE + PG);
	access_at("async write p2 (zero page)", BASE + 2 * PG, 1, 0x22);
	pm("page2 after write", BASE + 2 * PG);
	access_at("async read p3 (marker)", BASE + 3 * PG, 0, 0);
	pm("page3 after read", BASE + 3 * PG);
	access_at("async write p3 (zero page+wp)", BASE + 3 * PG, 1, 0x23);
	pm("page3 after write", BASE + 3 * PG);
	access_at("async write p4 (marker)", BASE + 4 * PG, 1, 0x24);
	pm("page4 after write", BASE + 4 * PG);
	{ struct uffd_msg m; printf("[%s]   msgs queued: %s\n", WHO, read_msg(U, &m, 50) ? "YES" : "none"); }
	fdinfo_of(U, "async");
	{ /* kernel write into async-protected page */
		WP(U, "protect page5 (marker) ", BASE + 5 * PG, PG, WPM_WP);
		int pfd[2]; pipe(pfd); write(pfd[1], "abc", 3);
		errno = 0; ssize_t n = read(pfd[0], (void *)(BASE + 5 * PG), 3);
		printf("[%s]   read(pipe -> async-protected marker page5) = %zd %s\n", WHO, n, n < 0 ? en(errno) : "-");
		pm("page5", BASE + 5 * PG);
		WP(U, "protect page0", BASE, PG, WPM_WP);
		pipe(pfd); write(pfd[1], "abc", 3);
		errno = 0; n = read(pfd[0], (void *)(BASE), 3);
		printf("[%s]   read(pipe -> async-protected present page0) = %zd %s\n", WHO, n, n < 0 ? en(errno) : "-");
		pm("page0", BASE);
	}
	vmas("async", BASE, BASE + 6 * PG);
	WP(U, "unprotect all mode=0", BASE, 6 * PG, 0);
	WP(U, "DONTWAKE allowed in async?", BASE, 6 * PG, WPM_DONTWAKE);
	td(6);
	/* WP_ASYNC with MISSING|WP */
	printf("[%s] -- WP_ASYNC with MISSING|WP registration\n", WHO);
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, UFFD_FEATURE_WP_ASYNC);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	*(volatile char *)BASE = 1;
	printf("[%s]   reg MISSING|WP -> %d\n", WHO, uffd_reg(U, BASE, 4 * PG, 3, NULL));
	WP(U, "protect 0..3", BASE, 4 * PG, WPM_WP);
	access_at("async+missing write p0", BASE, 1, 2);
	pm("page0", BASE);
	probe_access(U, "async+missing write p1 (marker)", BASE + PG, 1, 3);
	pm("page1", BASE + PG);
	td(4);
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both2("q03_wp_faults", body); return 0; }
