/* Extra helpers for the non-cooperative-event / MOVE / poll probes.
 * Builds on common.h (copied unchanged from /work/main/native/probes/userfaultfd). */
#include "common.h"
#include <time.h>
#include <sys/stat.h>

#ifndef UFFD_EVENT_FORK
#define UFFD_EVENT_FORK 0x13
#define UFFD_EVENT_REMAP 0x14
#define UFFD_EVENT_REMOVE 0x15
#define UFFD_EVENT_UNMAP 0x16
#endif
#define F_EVFORK (1ULL << 1)
#define F_EVREMAP (1ULL << 2)
#define F_EVREMOVE (1ULL << 3)
#define F_EVUNMAP (1ULL << 6)
#define F_MOVE (1ULL << 16)
#define MV_DONTWAKE (1ULL << 0)
#define MV_HOLES (1ULL << 1)
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif
#define A0 BASE
#define B0 (BASE + 0x100000UL)  /* 1 MiB above */
#define C0 (BASE + 0x200000UL)
#define D0 (BASE + 0x300000UL)

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}
static double g_t0;
#define TS() (now_ms() - g_t0)

/* ---- privilege drop: as common.h + PR_SET_DUMPABLE 1 (makes /proc/self/pagemap,smaps readable) */
static void drop_privs3(void)
{
	drop_privs();
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)) perror("dumpable");
}
static void run_both3(const char *name, void (*fn)(void))
{
	for (int u = 0; u <= 1; u++) {
		fflush(stdout);
		pid_t p = fork();
		if (p == 0) {
			if (u) drop_privs3();
			alarm(250); /* watchdog: default SIGALRM kills the child */
			printf("===== %s as %s =====\n", name, WHO);
			if (u) print_caps();
			g_t0 = now_ms();
			fn();
			fflush(stdout);
			_exit(0);
		}
		int st;
		waitpid(p, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			printf("----- child status: %s %d\n", WIFSIGNALED(st) ? "signal" : "exit",
			       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	}
}

/* ---- actor: runs one operation in its own thread, records ret/errno/timing */
struct actor {
	const char *name;
	long (*fn)(struct actor *);
	unsigned long a[6];
	long ret;
	int err;
	double t0, t1;
	volatile int done;
	volatile int started;
	pid_t tid;
	pthread_t th;
};
static void *actor_main(void *p)
{
	struct actor *a = p;
	a->tid = gettid();
	a->t0 = TS();
	a->started = 1;
	errno = 0;
	a->ret = a->fn(a);
	a->err = errno;
	a->t1 = TS();
	__atomic_store_n(&a->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}
static void actor_start(struct actor *a)
{
	a->done = 0;
	a->started = 0;
	pthread_create(&a->th, NULL, actor_main, a);
	while (!a->started) usleep(100);
}
/* wait until done or ms elapsed; returns done */
static int actor_wait(struct actor *a, int ms)
{
	double end = now_ms() + ms;
	while (!a->done && now_ms() < end) usleep(500);
	return a->done;
}
static void actor_report(struct actor *a)
{
	if (a->done)
		printf("[%s]   actor %s: ret=%#lx (%ld) errno=%s; started t=%.1fms returned t=%.1fms (took %.1fms)\n", WHO,
		       a->name, a->ret, a->ret, a->ret == -1 ? en(a->err) : "-", a->t0, a->t1, a->t1 - a->t0);
	else
		printf("[%s]   actor %s: STILL BLOCKED at t=%.1fms (started t=%.1fms)\n", WHO, a->name, TS(), a->t0);
}
/* join with timeout; if it never returns, report and kill the whole process */
static void actor_finish(struct actor *a, int ms)
{
	if (!actor_wait(a, ms)) {
		printf("[%s]   !!! actor %s blocked for > %d ms: reporting and exiting this process\n", WHO, a->name, ms);
		fflush(stdout);
		_exit(42);
	}
	pthread_join(a->th, NULL);
}

/* ---- messages */
static const char *evname(int e)
{
	switch (e) {
	case 0x12: return "PAGEFAULT";
	case 0x13: return "FORK";
	case 0x14: return "REMAP";
	case 0x15: return "REMOVE";
	case 0x16: return "UNMAP";
	}
	return "?";
}
static void print_msg(const char *tag, const struct uffd_msg *m)
{
	const unsigned char *c = (const void *)m;
	uint64_t q[3];
	memcpy(q, c + 8, 24);
	uint32_t u8;
	memcpy(&u8, c + 8, 4);
	printf("[%s]   %s: event=%#x(%s) r1=%u r2=%u r3=%u", WHO, tag, m->event, evname(m->event), m->reserved1, m->reserved2,
	       m->reserved3);
	switch (m->event) {
	case 0x12: printf(" flags=%#" PRIx64 " address=%#" PRIx64 " ptid=%u", q[0], q[1], (uint32_t)q[2]); break;
	case 0x13: printf(" ufd=%u (bytes 12..31: %#" PRIx64 " %#" PRIx64 " %#" PRIx64 ")", u8, q[0] >> 32, q[1], q[2]); break;
	case 0x14: printf(" from=%#" PRIx64 " to=%#" PRIx64 " len=%#" PRIx64, q[0], q[1], q[2]); break;
	case 0x15:
	case 0x16: printf(" start=%#" PRIx64 " end=%#" PRIx64 " (bytes 24..31=%#" PRIx64 ")", q[0], q[1], q[2]); break;
	}
	printf("\n[%s]     raw:", WHO);
	for (int i = 0; i < 32; i++) printf("%s%02x", (i % 8) ? "" : " ", c[i]);
	printf("\n");
}
static int pollin(int fd, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	int r = poll(&p, 1, ms);
	return r > 0 ? p.revents : 0;
}
/* read exactly one message (fd must be O_NONBLOCK); returns 1 if read */
static int read1(int fd, int ms, struct uffd_msg *m)
{
	if (!(pollin(fd, ms) & POLLIN)) return 0;
	memset(m, 0xee, sizeof *m);
	ssize_t n = read(fd, m, 32);
	if (n != 32) {
		printf("[%s]   read -> %zd %s\n", WHO, n, n < 0 ? en(errno) : "");
		return 0;
	}
	return 1;
}
/* Drain messages from fds[] while actor a (may be NULL) runs.
 * For each message: whether the actor was done before it was read, and 150 ms later. */
static struct uffd_msg g_msgs[32];
static int g_nmsgs;
static int drain_fds(int *fds, int nfd, struct actor *a, int quiet_ms)
{
	int n = 0;
	g_nmsgs = 0;
	for (;;) {
		struct pollfd p[8];
		for (int i = 0; i < nfd; i++) p[i] = (struct pollfd){fds[i], POLLIN, 0};
		int r = poll(p, nfd, quiet_ms);
		if (r <= 0) {
			printf("[%s]   (no further message within %d ms; t=%.1fms; actor done=%d)\n", WHO, quiet_ms, TS(),
			       a ? a->done : -1);
			break;
		}
		for (int i = 0; i < nfd; i++) {
			if (!(p[i].revents & POLLIN)) continue;
			int was_done = a ? a->done : -1;
			struct uffd_msg m;
			memset(&m, 0xee, sizeof m);
			double tr = TS();
			ssize_t k = read(fds[i], &m, 32);
			if (k != 32) {
				printf("[%s]   read(fd %d) -> %zd %s\n", WHO, fds[i], k, k < 0 ? en(errno) : "");
				continue;
			}
			char tag[96];
			snprintf(tag, sizeof tag, "msg#%d on fd %d read at t=%.1fms (actor done before read=%d)", n, fds[i], tr, was_done);
			print_msg(tag, &m);
			if (g_nmsgs < 32) g_msgs[g_nmsgs++] = m;
			n++;
			if (a) {
				usleep(100000);
				printf("[%s]     100ms after reading msg#%d: actor done=%d%s\n", WHO, n - 1, a->done,
				       a->done ? "" : " (still blocked)");
			}
		}
	}
	return n;
}
static int drain(int fd, struct actor *a) { return drain_fds(&fd, 1, a, 250); }

/* ---- layout: one line per VMA overlapping [lo,hi) */
static void layout(const char *tag, unsigned long lo, unsigned long hi)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	if (!f) { printf("[%s]   layout %s: smaps open failed %s\n", WHO, tag, en(errno)); return; }
	char line[512], hdr[512] = "";
	int in = 0, any = 0;
	unsigned long s, e, rss = 0;
	printf("[%s]   layout %s [%#lx,%#lx):\n", WHO, tag, lo, hi);
	while (fgets(line, sizeof line, f)) {
		if (sscanf(line, "%lx-%lx ", &s, &e) == 2 && line[strspn(line, "0123456789abcdef")] == '-') {
			in = (s < hi && e > lo);
			if (in) {
				char perms[8] = "";
				sscanf(line, "%*s %7s", perms);
				snprintf(hdr, sizeof hdr, "%lx-%lx %s (%lu p)", s, e, perms, (e - s) / PG);
			}
			continue;
		}
		if (in && !strncmp(line, "Rss:", 4)) sscanf(line + 4, "%lu", &rss);
		if (in && !strncmp(line, "VmFlags:", 8)) {
			line[strcspn(line, "\n")] = 0;
			printf("[%s]     %s Rss=%lukB %s\n", WHO, hdr, rss, line);
			any = 1;
		}
	}
	if (!any) printf("[%s]     (no VMA)\n", WHO);
	fclose(f);
}

/* page state: present via pagemap (readable when dumpable) */
static void pg(const char *tag, unsigned long addr)
{
	uint64_t v = pagemap(addr);
	unsigned char vec = 0;
	int mc = mincore((void *)(addr & ~(PG - 1)), PG, &vec);
	printf("[%s]     page %s %#lx: pagemap=%#" PRIx64 " present=%d excl=%d softdirty=%d file=%d pfn=%#" PRIx64
	       " mincore=%s\n",
	       WHO, tag, addr, v, (int)(v >> 63 & 1), (int)(v >> 56 & 1), (int)(v >> 55 & 1), (int)(v >> 61 & 1),
	       (uint64_t)(v & ((1ULL << 55) - 1)), mc ? en(errno) : (vec & 1 ? "1" : "0"));
}

/* ---- fault probe: touch addr (read) from a thread; report whether it traps on fd U
 * (message) and resolve with ZEROPAGE; else report the value read. */
static long touch_fn(struct actor *a)
{
	return *(volatile unsigned char *)a->a[0];
}
static void probe_fault(const char *tag, int U, unsigned long addr)
{
	struct actor t = {.name = "read-touch", .fn = touch_fn, .a = {addr}};
	actor_start(&t);
	if (actor_wait(&t, 250)) {
		pthread_join(t.th, NULL);
		printf("[%s]   fault-probe %s %#lx: NOT trapped, value=%#lx\n", WHO, tag, addr, t.ret);
		return;
	}
	struct uffd_msg m;
	if (U >= 0 && read1(U, 200, &m)) {
		char b[96];
		snprintf(b, sizeof b, "fault-probe %s: TRAPPED, message", tag);
		print_msg(b, &m);
		struct uffdio_zeropage z = {.range = {addr & ~(PG - 1), PG}};
		int r = ioctl(U, UFFDIO_ZEROPAGE, &z);
		printf("[%s]     resolved by ZEROPAGE ret=%d %s zeropage=%lld\n", WHO, r, r ? en(errno) : "-", (long long)z.zeropage);
	} else
		printf("[%s]   fault-probe %s %#lx: blocked, but no message on fd %d\n", WHO, tag, addr, U);
	actor_finish(&t, 2000);
	printf("[%s]     toucher returned %#lx\n", WHO, t.ret);
}

static char g_src[4 * 4096] __attribute__((aligned(4096)));
static long do_copy(int U, unsigned long dst, unsigned char val, unsigned long len)
{
	memset(g_src, val, sizeof g_src);
	struct uffdio_copy c = {.dst = dst, .src = (unsigned long)g_src, .len = len, .copy = SENT};
	long r = ioctl(U, UFFDIO_COPY, &c);
	return r ? -errno : c.copy;
}
static void fdinfo_of(const char *tag, int fd)
{
	char p[64], b[512];
	snprintf(p, sizeof p, "/proc/self/fdinfo/%d", fd);
	int f = open(p, O_RDONLY);
	if (f < 0) { printf("[%s]   fdinfo %s: open %s\n", WHO, tag, en(errno)); return; }
	ssize_t n = read(f, b, sizeof b - 1);
	close(f);
	b[n > 0 ? n : 0] = 0;
	for (char *q = b; *q; q++) if (*q == '\n' || *q == '\t') *q = ' ';
	printf("[%s]   fdinfo %s (fd %d): %s\n", WHO, tag, fd, b);
}
static void cleanup_all(void)
{
	munmap((void *)(BASE - 0x10000), 0x810000);
}
