/* A5: event queue semantics: small buffers, O_NONBLOCK/blocking readers, never-read events,
 * signals, close, and ordering of faults vs events */
#include "ev.h"
#include <sys/uio.h>
static int U;
static long munmap_fn(struct actor *a) { return munmap((void *)a->a[0], a->a[1]); }
static long madv_fn(struct actor *a) { return madvise((void *)a->a[0], a->a[1], (int)a->a[2]); }
static long read_fn(struct actor *a)
{
	memset((void *)a->a[1], 0xee, a->a[2]);
	return read((int)a->a[0], (void *)a->a[1], a->a[2]);
}
static volatile int g_usr1;
static void on_usr1(int s) { g_usr1++; }
static void reg_region(unsigned long at, int populate)
{
	map_at(at, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (populate) for (int i = 0; i < 4; i++) memset((void *)(at + i * PG), 0x11, 1);
	if (uffd_reg(U, at, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL)) printf("reg failed\n");
}
static void setup(int flags, __u64 feat)
{
	U = new_uffd(flags);
	uffd_api(U, feat);
	reg_region(A0, 0);
	reg_region(B0, 1);
	reg_region(C0, 1);
	reg_region(D0, 1);
}
static void teardown(void)
{
	close(U);
	cleanup_all();
}
static void R2(const char *label, ssize_t r)
{
	printf("[%s]   %-60s -> %zd %s\n", WHO, label, r, r < 0 ? en(errno) : "");
}
static void small_buffers(void)
{
	printf("[%s] ---- UNMAP pending; read with small buffers (O_NONBLOCK fd)\n", WHO);
	setup(O_CLOEXEC | O_NONBLOCK, F_EVUNMAP);
	struct actor a = {.name = "munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
	actor_start(&a);
	actor_wait(&a, 300);
	char b[128];
	errno = 0; R2("read(count=31)", read(U, b, 31));
	errno = 0; R2("read(count=0)", read(U, b, 0));
	errno = 0; R2("read(count=1)", read(U, b, 1));
	printf("[%s]   poll after small reads: revents=%#x, actor done=%d\n", WHO, pollin(U, 0), a.done);
	fdinfo_of("event pending", U);
	memset(b, 0xee, sizeof b);
	errno = 0; R2("read(count=40)", read(U, b, 40));
	print_msg("msg", (struct uffd_msg *)b);
	printf("[%s]   bytes 32..39 of buffer after read(40): %02x %02x ... (0xee = untouched)\n", WHO, (unsigned char)b[32], (unsigned char)b[39]);
	actor_finish(&a, 2000);
	actor_report(&a);
	errno = 0; R2("read again (nothing pending)", read(U, b, 32));
	teardown();

	printf("[%s] ---- UNMAP pending; readv with 2 iovecs of 16 bytes / pread\n", WHO);
	setup(O_CLOEXEC | O_NONBLOCK, F_EVUNMAP);
	a = (struct actor){.name = "munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
	actor_start(&a);
	actor_wait(&a, 300);
	errno = 0; R2("pread(count=32, off 0)", pread(U, b, 32, 0));
	struct iovec iov[2] = {{b, 16}, {b + 16, 16}};
	memset(b, 0xee, sizeof b);
	errno = 0; R2("readv(16+16)", readv(U, iov, 2));
	print_msg("msg via readv", (struct uffd_msg *)b);
	actor_finish(&a, 2000);
	actor_report(&a);
	teardown();

	printf("[%s] ---- UNMAP pending; read into a read-only buffer (EFAULT)\n", WHO);
	setup(O_CLOEXEC | O_NONBLOCK, F_EVUNMAP);
	void *ro = mmap((void *)(BASE + 0x500000), PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	a = (struct actor){.name = "munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
	actor_start(&a);
	actor_wait(&a, 300);
	errno = 0; R2("read(ro buffer, 32)", read(U, ro, 32));
	usleep(100000);
	printf("[%s]   after EFAULT read: actor done=%d, poll=%#x\n", WHO, a.done, pollin(U, 0));
	errno = 0; R2("read(good buffer)", read(U, b, 32));
	actor_finish(&a, 2000);
	actor_report(&a);
	/* same for a fault message */
	struct actor t = {.name = "read-touch A0+PG", .fn = NULL};
	t.fn = touch_fn; t.a[0] = A0 + PG;
	actor_start(&t);
	actor_wait(&t, 200);
	fdinfo_of("fault pending", U);
	errno = 0; R2("read(ro buffer, 32) with a fault pending", read(U, ro, 32));
	fdinfo_of("after EFAULT read", U);
	errno = 0; R2("read(good buffer) after that", read(U, b, 32));
	struct uffdio_zeropage z = {.range = {A0 + PG, PG}};
	ioctl(U, UFFDIO_ZEROPAGE, &z);
	actor_finish(&t, 2000);
	printf("[%s]   toucher completed after ZEROPAGE\n", WHO);
	teardown();
}
static void blocking_reader(void)
{
	printf("[%s] ---- blocking fd: monitor thread blocked in read(64) before the event\n", WHO);
	setup(O_CLOEXEC, F_EVUNMAP);
	static char b[64];
	struct actor r = {.name = "read(U,64)", .fn = read_fn, .a = {U, (unsigned long)b, 64}};
	actor_start(&r);
	usleep(200000);
	struct actor a = {.name = "munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
	actor_start(&a);
	actor_finish(&r, 2000);
	actor_report(&r);
	print_msg("msg", (struct uffd_msg *)b);
	printf("[%s]   second 32 bytes untouched=%d\n", WHO, (unsigned char)b[32] == 0xee);
	actor_finish(&a, 2000);
	actor_report(&a);
	teardown();
}
static void never_read(void)
{
	printf("[%s] ---- UNMAP never read: caller stays blocked; SIGUSR1 (handler, no SA_RESTART) via tgkill\n", WHO);
	struct sigaction sa = {.sa_handler = on_usr1};
	sigaction(SIGUSR1, &sa, NULL);
	g_usr1 = 0;
	setup(O_CLOEXEC | O_NONBLOCK, F_EVUNMAP);
	struct actor a = {.name = "munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
	actor_start(&a);
	int was = actor_wait(&a, 2000);
	printf("[%s]   after 2000ms: actor done=%d\n", WHO, was);
	{
		char p[64], b[256];
		snprintf(p, sizeof p, "/proc/self/task/%d/stat", a.tid);
		int f = open(p, O_RDONLY);
		ssize_t n = read(f, b, sizeof b - 1);
		close(f);
		b[n > 0 ? n : 0] = 0;
		char *q = strrchr(b, ')');
		printf("[%s]   actor thread state: %c\n", WHO, q ? q[2] : '?');
		snprintf(p, sizeof p, "/proc/self/task/%d/wchan", a.tid);
		f = open(p, O_RDONLY);
		n = read(f, b, sizeof b - 1);
		close(f);
		b[n > 0 ? n : 0] = 0;
		printf("[%s]   actor wchan: %s\n", WHO, b);
	}
	syscall(SYS_tgkill, getpid(), a.tid, SIGUSR1);
	usleep(300000);
	printf("[%s]   300ms after SIGUSR1: handler ran=%d actor done=%d\n", WHO, g_usr1, a.done);
	drain(U, &a);
	actor_finish(&a, 2000);
	actor_report(&a);
	printf("[%s]   handler ran=%d\n", WHO, g_usr1);
	teardown();

	printf("[%s] ---- UNMAP pending; close(U) (last fd) without reading\n", WHO);
	setup(O_CLOEXEC | O_NONBLOCK, F_EVUNMAP);
	a = (struct actor){.name = "munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
	actor_start(&a);
	actor_wait(&a, 300);
	double t = TS();
	close(U);
	printf("[%s]   close(U) at t=%.1fms\n", WHO, t);
	actor_finish(&a, 2000);
	actor_report(&a);
	layout("after", C0, C0 + 4 * PG);
	layout("A0 after close", A0, A0 + 4 * PG);
	cleanup_all();

	printf("[%s] ---- UNMAP pending; close(U) while a dup() exists\n", WHO);
	setup(O_CLOEXEC | O_NONBLOCK, F_EVUNMAP);
	int d = dup(U);
	a = (struct actor){.name = "munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
	actor_start(&a);
	actor_wait(&a, 300);
	close(U);
	int was2 = actor_wait(&a, 300);
	printf("[%s]   300ms after close(U) with dup %d open: actor done=%d\n", WHO, d, was2);
	drain(d, &a);
	actor_finish(&a, 2000);
	actor_report(&a);
	close(d);
	cleanup_all();

	printf("[%s] ---- MADV_DONTNEED REMOVE pending; close(U) without reading\n", WHO);
	setup(O_CLOEXEC | O_NONBLOCK, F_EVREMOVE);
	a = (struct actor){.name = "madvise(B0,DONTNEED)", .fn = madv_fn, .a = {B0, 4 * PG, MADV_DONTNEED}};
	actor_start(&a);
	actor_wait(&a, 300);
	close(U);
	actor_finish(&a, 2000);
	actor_report(&a);
	layout("B0 after", B0, B0 + 4 * PG);
	cleanup_all();
}
static void sub_kill(int sig)
{
	printf("[%s] ---- (subprocess) UNMAP never read; %s to the process\n", WHO, sig == SIGKILL ? "SIGKILL" : "SIGTERM");
	fflush(stdout);
	pid_t s = fork();
	if (s == 0) {
		alarm(20);
		setup(O_CLOEXEC | O_NONBLOCK, F_EVUNMAP);
		struct actor a = {.name = "munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
		sigset_t ss;
		sigemptyset(&ss);
		sigaddset(&ss, SIGTERM);
		actor_start(&a);
		pthread_sigmask(SIG_BLOCK, &ss, NULL); /* main thread blocks SIGTERM so it goes to the actor */
		actor_wait(&a, 300);
		printf("[%s]   S: munmap blocked=%d\n", WHO, !a.done);
		fflush(stdout);
		for (;;) pause();
	}
	usleep(800000);
	double t = now_ms();
	kill(s, sig);
	int st;
	for (int i = 0; i < 200; i++) {
		if (waitpid(s, &st, WNOHANG) == s) {
			printf("[%s]   S ended %.1fms after the signal: %s %d\n", WHO, now_ms() - t, WIFSIGNALED(st) ? "signal" : "exit",
			       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
			return;
		}
		usleep(10000);
	}
	printf("[%s]   !!! S alive 2s after the signal\n", WHO);
	kill(s, SIGKILL);
	waitpid(s, NULL, 0);
}
long touch_fn2(struct actor *a) { return *(volatile unsigned char *)a->a[0]; }
static void order(int one_by_one)
{
	printf("[%s] ---- order: F1 fault, E1 REMOVE, F2 fault, E2 UNMAP, F3 fault queued in that order; %s\n", WHO,
	       one_by_one ? "read 32 bytes at a time" : "one read(256)");
	setup(O_CLOEXEC | O_NONBLOCK, F_EVUNMAP | F_EVREMOVE | UFFD_FEATURE_THREAD_ID);
	struct actor f1 = {.name = "F1 read A0+1p", .fn = touch_fn2, .a = {A0 + PG}};
	struct actor f2 = {.name = "F2 read A0+2p", .fn = touch_fn2, .a = {A0 + 2 * PG}};
	struct actor f3 = {.name = "F3 read A0+3p", .fn = touch_fn2, .a = {A0 + 3 * PG}};
	struct actor e1 = {.name = "E1 madvise(B0,DONTNEED)", .fn = madv_fn, .a = {B0, 4 * PG, MADV_DONTNEED}};
	struct actor e2 = {.name = "E2 munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
	struct actor *seq[] = {&f1, &e1, &f2, &e2, &f3};
	for (int i = 0; i < 5; i++) {
		actor_start(seq[i]);
		usleep(100000);
	}
	printf("[%s]   tids: F1=%d E1=%d F2=%d E2=%d F3=%d\n", WHO, f1.tid, e1.tid, f2.tid, e2.tid, f3.tid);
	fdinfo_of("3 faults + 2 events pending", U);
	printf("[%s]   poll=%#x\n", WHO, pollin(U, 0));
	static char b[256];
	if (!one_by_one) {
		memset(b, 0xee, sizeof b);
		ssize_t n = read(U, b, 256);
		printf("[%s]   read(256) -> %zd\n", WHO, n);
		for (int i = 0; i * 32 < n; i++) {
			char tag[32];
			snprintf(tag, sizeof tag, "msg[%d]", i);
			print_msg(tag, (struct uffd_msg *)(b + 32 * i));
		}
		usleep(100000);
		ssize_t n2 = read(U, b, 256);
		printf("[%s]   read(256) again after 100ms -> %zd %s\n", WHO, n2, n2 < 0 ? en(errno) : "");
		for (int i = 0; i * 32 < n2; i++) print_msg("msg (2nd read)", (struct uffd_msg *)(b + 32 * i));
	} else {
		for (int i = 0; i < 6; i++) {
			ssize_t n = read(U, b, 32);
			if (n != 32) { printf("[%s]   read #%d -> %zd %s\n", WHO, i, n, n < 0 ? en(errno) : ""); break; }
			char tag[64];
			snprintf(tag, sizeof tag, "read #%d", i);
			print_msg(tag, (struct uffd_msg *)b);
			usleep(50000);
			printf("[%s]     after read #%d: E1 done=%d E2 done=%d\n", WHO, i, e1.done, e2.done);
		}
	}
	fdinfo_of("after reads", U);
	for (int p = 1; p <= 3; p++) {
		struct uffdio_zeropage z = {.range = {A0 + p * PG, PG}};
		ioctl(U, UFFDIO_ZEROPAGE, &z);
	}
	for (int i = 0; i < 5; i++) actor_finish(seq[i], 2000);
	for (int i = 0; i < 5; i++) actor_report(seq[i]);
	teardown();
}
static void two_events_fifo(void)
{
	printf("[%s] ---- two UNMAP events from two threads (C0 first, then D0): read order\n", WHO);
	setup(O_CLOEXEC | O_NONBLOCK, F_EVUNMAP);
	struct actor e1 = {.name = "munmap(C0)", .fn = munmap_fn, .a = {C0, 4 * PG}};
	struct actor e2 = {.name = "munmap(D0)", .fn = munmap_fn, .a = {D0, 4 * PG}};
	actor_start(&e1);
	usleep(100000);
	actor_start(&e2);
	usleep(100000);
	char b[96];
	ssize_t n = read(U, b, 96);
	printf("[%s]   read(96) -> %zd\n", WHO, n);
	for (int i = 0; i * 32 < n; i++) print_msg("msg", (struct uffd_msg *)(b + 32 * i));
	actor_finish(&e1, 2000);
	actor_finish(&e2, 2000);
	actor_report(&e1);
	actor_report(&e2);
	teardown();
}
static void body(void)
{
	small_buffers();
	blocking_reader();
	never_read();
	sub_kill(SIGKILL);
	sub_kill(SIGTERM);
	order(0);
	order(1);
	two_events_fifo();
}
int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both3("e05_queue", body);
	return 0;
}
