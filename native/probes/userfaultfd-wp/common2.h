/* Extra helpers for the WP/POISON probe set. Reuses common.h (copied verbatim). */
#include "common.h"
#include <setjmp.h>
#include <sys/stat.h>

#ifndef _UFFDIO_WRITEPROTECT
#define _UFFDIO_WRITEPROTECT 0x06
#endif
#ifndef UFFD_FEATURE_PAGEFAULT_FLAG_WP
#define UFFD_FEATURE_PAGEFAULT_FLAG_WP (1 << 0)
#endif
#ifndef UFFD_FEATURE_WP_HUGETLBFS_SHMEM
#define UFFD_FEATURE_WP_HUGETLBFS_SHMEM (1 << 12)
#endif
#define WPM_WP (1ULL << 0)
#define WPM_DONTWAKE (1ULL << 1)
#define POISON_DONTWAKE (1ULL << 0)
#ifndef UFFDIO_CONTINUE_MODE_WP
#define UFFDIO_CONTINUE_MODE_WP ((__u64)1 << 1)
#endif
struct uffdio_wp_ { struct uffdio_range range; __u64 mode; };
struct uffdio_cont_ { struct uffdio_range range; __u64 mode; __s64 mapped; };
#define UFFDIO_WP_ _IOWR(UFFDIO, _UFFDIO_WRITEPROTECT, struct uffdio_wp_)
#define UFFDIO_CONT_ _IOWR(UFFDIO, 0x07, struct uffdio_cont_)
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#define MADV_GUARD_REMOVE 103
#endif

/* drop_privs + dumpable so /proc/self/pagemap can be opened */
static __attribute__((unused)) void run_both2(const char *name, void (*fn)(void))
{
	for (int u = 0; u <= 1; u++) {
		fflush(stdout);
		pid_t p = fork();
		if (p == 0) {
			if (u) { drop_privs(); prctl(PR_SET_DUMPABLE, 1, 0, 0, 0); }
			printf("===== %s as %s =====\n", name, WHO);
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

/* compact pagemap: P S F G W X + pfn (pfn only visible to root) */
static __attribute__((unused)) void pm(const char *tag, unsigned long addr)
{
	uint64_t v = pagemap(addr);
	printf("[%s]   pm %-34s %#lx: raw=%#018" PRIx64 " pres=%d swap=%d file=%d guard=%d uffd_wp=%d excl=%d pfn=%#" PRIx64 "\n",
	       WHO, tag, addr, v, (int)(v >> 63 & 1), (int)(v >> 62 & 1), (int)(v >> 61 & 1), (int)(v >> 58 & 1),
	       (int)(v >> 57 & 1), (int)(v >> 56 & 1), (uint64_t)(v & ((1ULL << 55) - 1)));
}
static __attribute__((unused)) uint64_t pmbits(unsigned long a) { return pagemap(a) >> 55; }

static __attribute__((unused)) void fdinfo_of(int U, const char *tag)
{
	char p[64], b[512];
	snprintf(p, sizeof p, "/proc/self/fdinfo/%d", U);
	int f = open(p, O_RDONLY); ssize_t n = read(f, b, sizeof b - 1); close(f); b[n > 0 ? n : 0] = 0;
	char *s = strstr(b, "pending:"); for (char *q = s; q && *q; q++) if (*q == '\n' || *q == '\t') *q = ' ';
	printf("[%s]   fdinfo %s: %s\n", WHO, tag, s ? s : "?");
}

/* WRITEPROTECT wrapper printing everything */
static __attribute__((unused)) int WP(int U, const char *label, unsigned long s, unsigned long l, __u64 mode)
{
	struct uffdio_wp_ w = {{s, l}, mode};
	struct uffdio_wp_ w0 = w;
	errno = 0;
	int r = ioctl(U, UFFDIO_WP_, &w);
	int e = errno;
	printf("[%s] WP %-52s start=%#lx len=%#lx mode=%#llx -> ret=%d errno=%s%s\n", WHO, label, s, l,
	       (unsigned long long)mode, r, r ? en(e) : "-", memcmp(&w, &w0, sizeof w) ? " STRUCT MODIFIED" : "");
	errno = e;
	return r ? -e : 0;
}

/* Signal-catching access */
static __thread sigjmp_buf g_jb;
static __thread siginfo_t g_si;
static void g_h(int s, siginfo_t *si, void *uc) { g_si = *si; siglongjmp(g_jb, 1); }
static __attribute__((unused)) void catch_sigs(void)
{
	struct sigaction sa = {.sa_sigaction = g_h, .sa_flags = SA_SIGINFO | SA_NODEFER};
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}
/* returns 0 no signal, else signo */
static __attribute__((unused)) int access_at(const char *tag, unsigned long a, int write, unsigned char wval)
{
	memset(&g_si, 0, sizeof g_si);
	if (sigsetjmp(g_jb, 1) == 0) {
		unsigned char v;
		if (write) { *(volatile unsigned char *)a = wval; v = *(volatile unsigned char *)a; }
		else v = *(volatile unsigned char *)a;
		printf("[%s]   %s %s at %#lx: no signal, value=%#x\n", WHO, tag, write ? "write" : "read", a, v);
		return 0;
	}
	printf("[%s]   %s %s at %#lx: SIG%s si_code=%d si_errno=%d si_addr=%p si_addr_lsb=%d\n", WHO, tag,
	       write ? "write" : "read", a, sigabbrev_np(g_si.si_signo), g_si.si_code, g_si.si_errno, g_si.si_addr,
	       g_si.si_addr_lsb);
	return g_si.si_signo;
}

/* thread toucher */
struct toucher {
	unsigned long addr;
	int write;
	unsigned char wval;
	volatile int done;
	volatile unsigned char val;
	pid_t tid;
	pthread_t th;
};
static void *touch_fn(void *p)
{
	struct toucher *t = p;
	t->tid = gettid();
	if (t->write) { *(volatile unsigned char *)t->addr = t->wval; t->val = *(volatile unsigned char *)t->addr; }
	else t->val = *(volatile unsigned char *)t->addr;
	t->done = 1;
	return NULL;
}
static __attribute__((unused)) void spawn(struct toucher *t, unsigned long addr, int write, unsigned char wval)
{
	memset(t, 0, sizeof *t);
	t->addr = addr; t->write = write; t->wval = wval;
	pthread_create(&t->th, NULL, touch_fn, t);
}
static __attribute__((unused)) void dump_msg(const char *tag, struct uffd_msg *m)
{
	uint32_t ptid, pad;
	memcpy(&ptid, (char *)m + 24, 4);
	memcpy(&pad, (char *)m + 28, 4);
	printf("[%s]   msg %s: event=%#x res1=%u res2=%u res3=%u flags=%#llx address=%#llx ptid=%u pad=%#x\n", WHO, tag,
	       m->event, m->reserved1, m->reserved2, m->reserved3, (unsigned long long)m->arg.pagefault.flags,
	       (unsigned long long)m->arg.pagefault.address, ptid, pad);
}
/* non-blocking read of one message with timeout ms; returns 1 if got */
static __attribute__((unused)) int read_msg(int U, struct uffd_msg *m, int ms)
{
	struct pollfd p = {U, POLLIN, 0};
	int fl = fcntl(U, F_GETFL);
	if (!(fl & O_NONBLOCK)) fcntl(U, F_SETFL, fl | O_NONBLOCK);
	for (int i = 0; i < ms / 10 + 1; i++) {
		memset(m, 0xee, sizeof *m);
		ssize_t n = read(U, m, sizeof *m);
		if (n == 32) return 1;
		usleep(10000);
	}
	(void)p;
	return 0;
}
static char g_src[4 * 4096] __attribute__((aligned(4096)));
static __attribute__((unused)) int COPY(int U, unsigned long dst, unsigned long len, __u64 mode, unsigned char fill, const char *label)
{
	memset(g_src, fill, sizeof g_src);
	struct uffdio_copy c = {.dst = dst, .src = (unsigned long)g_src, .len = len, .mode = mode, .copy = SENT};
	errno = 0; int r = ioctl(U, UFFDIO_COPY, &c); int e = errno;
	printf("[%s] COPY %-40s dst=%#lx len=%#lx mode=%#llx -> ret=%d errno=%s copy=%lld\n", WHO, label, dst, len,
	       (unsigned long long)mode, r, r ? en(e) : "-", (long long)c.copy);
	return r ? -e : 0;
}
static __attribute__((unused)) int ZERO(int U, unsigned long dst, unsigned long len, __u64 mode, const char *label)
{
	struct uffdio_zeropage z = {.range = {dst, len}, .mode = mode, .zeropage = SENT};
	errno = 0; int r = ioctl(U, UFFDIO_ZEROPAGE, &z); int e = errno;
	printf("[%s] ZEROPAGE %-36s dst=%#lx len=%#lx mode=%#llx -> ret=%d errno=%s zeropage=%lld\n", WHO, label, dst, len,
	       (unsigned long long)mode, r, r ? en(e) : "-", (long long)z.zeropage);
	return r ? -e : 0;
}
static __attribute__((unused)) int POISON(int U, unsigned long s, unsigned long len, __u64 mode, const char *label)
{
	struct uffdio_poison_ p = {{s, len}, mode, SENT};
	errno = 0; int r = ioctl(U, UFFDIO_POISON_, &p); int e = errno;
	printf("[%s] POISON %-38s start=%#lx len=%#lx mode=%#llx -> ret=%d errno=%s updated=%lld%s\n", WHO, label, s, len,
	       (unsigned long long)mode, r, r ? en(e) : "-", (long long)p.updated, p.updated == SENT ? "(untouched)" : "");
	return r ? -e : 0;
}
static __attribute__((unused)) int CONT(int U, unsigned long s, unsigned long len, __u64 mode, const char *label)
{
	struct uffdio_cont_ c = {{s, len}, mode, SENT};
	errno = 0; int r = ioctl(U, UFFDIO_CONT_, &c); int e = errno;
	printf("[%s] CONTINUE %-36s start=%#lx len=%#lx mode=%#llx -> ret=%d errno=%s mapped=%lld\n", WHO, label, s, len,
	       (unsigned long long)mode, r, r ? en(e) : "-", (long long)c.mapped);
	return r ? -e : 0;
}
static __attribute__((unused)) void vmas(const char *tag, unsigned long lo, unsigned long hi) { smaps_range(tag, lo, hi); }

/* Access addr from a second thread; report every uffd message and resolve it:
 * WP flag -> WRITEPROTECT(mode=0) of the page; MINOR -> CONTINUE; else -> COPY 0xCC.
 * res_mode: 0 = resolve as above; 1 = don't resolve (leave blocked, return toucher*) */
static struct toucher g_t;
static __attribute__((unused)) int probe_access(int U, const char *tag, unsigned long addr, int write, unsigned char wval)
{
	struct toucher *t = &g_t;
	spawn(t, addr, write, wval);
	int nmsg = 0;
	for (int it = 0; it < 6; it++) {
		struct uffd_msg m;
		int got = read_msg(U, &m, 250);
		if (!got) break;
		nmsg++;
		char b[64]; snprintf(b, sizeof b, "%s #%d", tag, nmsg);
		dump_msg(b, &m);
		unsigned long pa = m.arg.pagefault.address & ~(PG - 1);
		if (m.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP) {
			struct uffdio_wp_ w = {{pa, PG}, 0};
			int r = ioctl(U, UFFDIO_WP_, &w);
			printf("[%s]     resolve: WRITEPROTECT(mode=0) -> %d %s\n", WHO, r, r ? en(errno) : "-");
		} else if (m.arg.pagefault.flags & 4) {
			struct uffdio_cont_ c = {{pa, PG}, 0, SENT};
			int r = ioctl(U, UFFDIO_CONT_, &c);
			printf("[%s]     resolve: CONTINUE -> %d %s mapped=%lld\n", WHO, r, r ? en(errno) : "-", (long long)c.mapped);
		} else {
			memset(g_src, 0xcc, PG);
			struct uffdio_copy c = {.dst = pa, .src = (unsigned long)g_src, .len = PG};
			int r = ioctl(U, UFFDIO_COPY, &c);
			printf("[%s]     resolve: COPY(0xcc) -> %d %s copy=%lld\n", WHO, r, r ? en(errno) : "-", (long long)c.copy);
		}
		usleep(20000);
		if (t->done) break;
	}
	for (int i = 0; i < 50 && !t->done; i++) usleep(10000);
	printf("[%s]   %s: %s %#lx -> %s, %d msg(s), value=%#x\n", WHO, tag, write ? "write" : "read", addr,
	       t->done ? "completed" : "STILL BLOCKED", nmsg, t->val);
	if (t->done) pthread_join(t->th, NULL);
	return nmsg;
}
