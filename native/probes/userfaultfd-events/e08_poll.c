/* C: poll()/ppoll()/epoll on a uffd */
#include "ev.h"
#include <sys/epoll.h>
static int U;
static long munmap_fn(struct actor *a) { return munmap((void *)a->a[0], a->a[1]); }
static long poll_fn(struct actor *a)
{
	struct pollfd p = {(int)a->a[0], (short)a->a[1], 0};
	long r = poll(&p, 1, (int)a->a[2]);
	a->a[3] = p.revents;
	return r;
}
static long ppoll_fn(struct actor *a)
{
	struct pollfd p = {(int)a->a[0], (short)a->a[1], 0};
	struct timespec ts = {0, 0};
	long r = ppoll(&p, 1, a->a[2] ? NULL : &ts, NULL);
	a->a[3] = p.revents;
	return r;
}
static long epoll_fn(struct actor *a)
{
	struct epoll_event ev;
	long r = epoll_wait((int)a->a[0], &ev, 1, (int)a->a[2]);
	a->a[3] = r > 0 ? ev.events : 0;
	return r;
}
static void P(const char *label, int fd, short ev)
{
	struct pollfd p = {fd, ev, 0};
	errno = 0;
	int r = poll(&p, 1, 0);
	struct pollfd q = {fd, ev, 0};
	struct timespec ts = {0, 0};
	int r2 = ppoll(&q, 1, &ts, NULL);
	printf("[%s]   %-48s poll(ev=%#x,0)=%d revents=%#x | ppoll(ts=0)=%d revents=%#x\n", WHO, label, ev, r, p.revents, r2, q.revents);
}
static void setup(int flags, __u64 feat)
{
	U = new_uffd(flags);
	uffd_api(U, feat);
	map_at(A0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, A0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	map_at(C0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, C0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
}
static void teardown(void) { close(U); cleanup_all(); }
static void states(int nonblock)
{
	printf("[%s] ---- states, fd %s\n", WHO, nonblock ? "O_NONBLOCK" : "blocking");
	int raw = new_uffd(O_CLOEXEC | (nonblock ? O_NONBLOCK : 0));
	P("before UFFDIO_API", raw, POLLIN);
	close(raw);
	setup(O_CLOEXEC | (nonblock ? O_NONBLOCK : 0), F_EVUNMAP);
	P("nothing pending", U, POLLIN);
	P("nothing pending, events=0", U, 0);
	P("nothing pending, events=POLLOUT", U, POLLOUT);
	struct actor t = {.name = "read-touch A0+1p", .fn = touch_fn, .a = {A0 + PG}};
	actor_start(&t);
	usleep(150000);
	P("fault pending", U, POLLIN);
	P("fault pending, events=POLLOUT|POLLPRI", U, POLLOUT | POLLPRI);
	P("fault pending, events=0", U, 0);
	int fl = fcntl(U, F_GETFL);
	fcntl(U, F_SETFL, fl | O_NONBLOCK);
	struct uffd_msg m;
	read(U, &m, 32);
	fcntl(U, F_SETFL, fl);
	P("fault read, unresolved", U, POLLIN);
	struct actor e = {.name = "munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
	actor_start(&e);
	usleep(150000);
	P("UNMAP event pending (+ 1 read fault)", U, POLLIN);
	P("UNMAP event pending, events=POLLOUT", U, POLLOUT);
	fcntl(U, F_SETFL, fl | O_NONBLOCK);
	read(U, &m, 32);
	fcntl(U, F_SETFL, fl);
	print_msg("read", &m);
	P("event read", U, POLLIN);
	actor_finish(&e, 2000);
	struct uffdio_zeropage z = {.range = {A0 + PG, PG}};
	ioctl(U, UFFDIO_ZEROPAGE, &z);
	actor_finish(&t, 2000);
	P("fault resolved", U, POLLIN);
	/* fork: child-side view of the inherited fd */
	teardown();
}
static void blocking_waits(void)
{
	printf("[%s] ---- infinite waits\n", WHO);
	/* blocking fd, timeout -1: immediate POLLERR */
	setup(O_CLOEXEC, 0);
	struct actor w = {.name = "poll(blocking fd, POLLIN, -1)", .fn = poll_fn, .a = {U, POLLIN, -1}};
	actor_start(&w);
	actor_finish(&w, 1000);
	actor_report(&w);
	printf("[%s]     revents=%#lx\n", WHO, w.a[3]);
	w = (struct actor){.name = "ppoll(blocking fd, POLLIN, NULL)", .fn = ppoll_fn, .a = {U, POLLIN, 1}};
	actor_start(&w);
	actor_finish(&w, 1000);
	actor_report(&w);
	printf("[%s]     revents=%#lx\n", WHO, w.a[3]);
	teardown();

	const char *kinds[] = {"poll(-1)", "ppoll(NULL)", "epoll_wait(-1)"};
	for (int k = 0; k < 3; k++) {
		for (int src = 0; src < 2; src++) {
			printf("[%s]   -- O_NONBLOCK fd, %s in a thread, woken by %s from another thread\n", WHO, kinds[k], src ? "an UNMAP event" : "a fault");
			setup(O_CLOEXEC | O_NONBLOCK, F_EVUNMAP);
			int ep = -1;
			if (k == 2) {
				ep = epoll_create1(0);
				struct epoll_event ev = {.events = EPOLLIN};
				epoll_ctl(ep, EPOLL_CTL_ADD, U, &ev);
			}
			w = (struct actor){.name = kinds[k], .fn = k == 0 ? poll_fn : k == 1 ? ppoll_fn : epoll_fn, .a = {k == 2 ? ep : U, POLLIN, k == 1 ? 1 : -1}};
			actor_start(&w);
			int was = actor_wait(&w, 300);
			printf("[%s]     %s returned within 300ms with nothing pending: %d\n", WHO, kinds[k], was);
			double t = TS();
			struct actor t1 = {.name = "read-touch A0+1p", .fn = touch_fn, .a = {A0 + PG}};
			struct actor e = {.name = "munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
			actor_start(src ? &e : &t1);
			actor_finish(&w, 2000);
			printf("[%s]     trigger at t=%.1fms; waiter returned %ld revents/events=%#lx at t=%.1fms\n", WHO, t, w.ret, w.a[3], w.t1);
			struct uffd_msg m;
			read1(U, 200, &m);
			if (src) actor_finish(&e, 2000);
			else {
				struct uffdio_zeropage z = {.range = {A0 + PG, PG}};
				ioctl(U, UFFDIO_ZEROPAGE, &z);
				actor_finish(&t1, 2000);
			}
			if (ep >= 0) close(ep);
			teardown();
		}
	}
}
static void release_cases(void)
{
	printf("[%s] ---- poll(-1) in a thread; main closes the polled fd (only fd)\n", WHO);
	setup(O_CLOEXEC | O_NONBLOCK, 0);
	int fdnum = U;
	struct actor w = {.name = "poll(-1)", .fn = poll_fn, .a = {U, POLLIN, -1}};
	actor_start(&w);
	usleep(200000);
	close(U);
	int was = actor_wait(&w, 500);
	printf("[%s]   500ms after close(fd %d): poll returned=%d\n", WHO, fdnum, was);
	layout("A0 after close (file still referenced by poll?)", A0, A0 + 4 * PG);
	struct actor t1 = {.name = "read-touch A0+1p", .fn = touch_fn, .a = {A0 + PG}};
	actor_start(&t1);
	int was2 = actor_wait(&w, 1000);
	printf("[%s]   after a fault in A0: poll returned=%d ret=%ld revents=%#lx\n", WHO, was2, w.ret, w.a[3]);
	if (!was2) { printf("[%s]   !!! poll still blocked; exiting\n", WHO); fflush(stdout); _exit(43); }
	pthread_join(w.th, NULL);
	actor_finish(&t1, 2000);
	printf("[%s]   toucher returned %#lx (released after poll dropped its reference)\n", WHO, t1.ret);
	layout("A0 after poll returned", A0, A0 + 4 * PG);
	struct pollfd p = {fdnum, POLLIN, 0};
	int r = poll(&p, 1, 0);
	printf("[%s]   poll on the closed fd number %d -> %d revents=%#x\n", WHO, fdnum, r, p.revents);
	cleanup_all();

	printf("[%s] ---- epoll set containing the uffd; uffd's last fd closed\n", WHO);
	setup(O_CLOEXEC | O_NONBLOCK, 0);
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN};
	epoll_ctl(ep, EPOLL_CTL_ADD, U, &ev);
	close(U);
	struct epoll_event out;
	int n = epoll_wait(ep, &out, 1, 200);
	printf("[%s]   epoll_wait(200ms) after close -> %d events=%#x\n", WHO, n, n > 0 ? out.events : 0);
	layout("A0", A0, A0 + 4 * PG);
	close(ep);
	cleanup_all();

	printf("[%s] ---- dup: poll on the dup after closing the original\n", WHO);
	setup(O_CLOEXEC | O_NONBLOCK, 0);
	int d = dup(U);
	close(U);
	P("dup, nothing pending", d, POLLIN);
	struct actor t2 = {.name = "read-touch A0+2p", .fn = touch_fn, .a = {A0 + 2 * PG}};
	actor_start(&t2);
	usleep(150000);
	P("dup, fault pending", d, POLLIN);
	close(d);
	actor_finish(&t2, 2000);
	printf("[%s]   toucher returned %#lx after closing the dup\n", WHO, t2.ret);
	cleanup_all();
}
static void dead_mm(void)
{
	printf("[%s] ---- uffd inherited by a child whose creator (ctx->mm owner) has exited\n", WHO);
	fflush(stdout);
	int pp[2];
	pipe(pp);
	pid_t q = fork();
	if (q == 0) {
		setup(O_CLOEXEC | O_NONBLOCK, 0);
		pid_t r = fork();
		if (r == 0) {
			char ch;
			read(pp[0], &ch, 1); /* wait until Q is gone */
			usleep(100000);
			map_at(A0 + 0x10000, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
			P("R: ctx mm dead", U, POLLIN);
			char b[32];
			errno = 0;
			ssize_t n = read(U, b, 32);
			printf("[%s]   R: read -> %zd %s\n", WHO, n, n < 0 ? en(errno) : "");
			fdinfo_of("R", U);
			int e;
			long rr;
			struct uffdio_register rg = {.range = {A0, 4 * PG}, .mode = 1, .ioctls = SENT};
			rr = xioctl(U, UFFDIO_REGISTER, &rg, &e);
			printf("[%s]   R: REGISTER -> %ld %s ioctls=%#llx\n", WHO, rr, rr ? en(e) : "-", (unsigned long long)rg.ioctls);
			struct uffdio_range ur = {A0, 4 * PG};
			rr = xioctl(U, UFFDIO_UNREGISTER, &ur, &e);
			printf("[%s]   R: UNREGISTER -> %ld %s\n", WHO, rr, rr ? en(e) : "-");
			rr = xioctl(U, UFFDIO_WAKE, &ur, &e);
			printf("[%s]   R: WAKE -> %ld %s\n", WHO, rr, rr ? en(e) : "-");
			struct uffdio_copy c = {.dst = A0, .src = A0 + 0x10000, .len = PG, .copy = SENT};
			rr = xioctl(U, UFFDIO_COPY, &c, &e);
			printf("[%s]   R: COPY -> %ld %s copy=%#llx\n", WHO, rr, rr ? en(e) : "-", (unsigned long long)c.copy);
			struct uffdio_zeropage z = {.range = {A0, PG}, .zeropage = SENT};
			rr = xioctl(U, UFFDIO_ZEROPAGE, &z, &e);
			printf("[%s]   R: ZEROPAGE -> %ld %s zeropage=%#llx\n", WHO, rr, rr ? en(e) : "-", (unsigned long long)z.zeropage);
			struct uffdio_writeprotect wp = {.range = {A0, PG}, .mode = 1};
			rr = xioctl(U, UFFDIO_WRITEPROTECT, &wp, &e);
			printf("[%s]   R: WRITEPROTECT -> %ld %s\n", WHO, rr, rr ? en(e) : "-");
			struct uffdio_continue ct = {.range = {A0, PG}, .mapped = SENT};
			rr = xioctl(U, UFFDIO_CONTINUE, &ct, &e);
			printf("[%s]   R: CONTINUE -> %ld %s mapped=%#llx\n", WHO, rr, rr ? en(e) : "-", (unsigned long long)ct.mapped);
			struct uffdio_poison_ po = {.range = {A0, PG}, .updated = SENT};
			rr = xioctl(U, UFFDIO_POISON_, &po, &e);
			printf("[%s]   R: POISON -> %ld %s updated=%#llx\n", WHO, rr, rr ? en(e) : "-", (unsigned long long)po.updated);
			struct uffdio_move_ mv = {.dst = A0, .src = A0 + 0x10000, .len = PG, .move = SENT};
			rr = xioctl(U, UFFDIO_MOVE_, &mv, &e);
			printf("[%s]   R: MOVE -> %ld %s move=%#llx\n", WHO, rr, rr ? en(e) : "-", (unsigned long long)mv.move);
			struct uffdio_api ap = {.api = UFFD_API};
			rr = xioctl(U, UFFDIO_API, &ap, &e);
			printf("[%s]   R: API -> %ld %s\n", WHO, rr, rr ? en(e) : "-");
			fflush(stdout);
			_exit(0);
		}
		printf("[%s]   Q (pid %d) exiting; R pid %d keeps the uffd\n", WHO, getpid(), r);
		fflush(stdout);
		_exit(0);
	}
	waitpid(q, NULL, 0);
	write(pp[1], "g", 1);
	usleep(800000);
	close(pp[0]);
	close(pp[1]);
}
static void body(void)
{
	states(1);
	states(0);
	blocking_waits();
	release_cases();
	dead_mm();
}
int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both3("e08_poll", body);
	return 0;
}
