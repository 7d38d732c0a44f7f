/* Item 8: faults delivered through read(); uffd_msg layout; DONTWAKE; close with blocked thread */
#include "common.h"

static int U;
struct toucher {
	unsigned long addr;
	int write;
	volatile int done;
	volatile unsigned char val;
	pid_t tid;
	pthread_t th;
};
static void *touch_fn(void *p)
{
	struct toucher *t = p;
	t->tid = gettid();
	if (t->write) { *(volatile unsigned char *)t->addr = 0x77; t->val = *(volatile unsigned char *)t->addr; }
	else t->val = *(volatile unsigned char *)t->addr;
	t->done = 1;
	return NULL;
}
static void spawn(struct toucher *t, unsigned long addr, int write)
{
	memset(t, 0, sizeof *t);
	t->addr = addr; t->write = write;
	pthread_create(&t->th, NULL, touch_fn, t);
}
static void fdinfo_line(const char *tag)
{
	char p[64], b[512];
	snprintf(p, sizeof p, "/proc/self/fdinfo/%d", U);
	int f = open(p, O_RDONLY);
	ssize_t n = read(f, b, sizeof b - 1);
	close(f);
	b[n > 0 ? n : 0] = 0;
	char *s = strstr(b, "pending:");
	for (char *q = s; q && *q; q++) if (*q == '\n' || *q == '\t') *q = ' ';
	printf("[%s]   fdinfo %s: %s\n", WHO, tag, s ? s : "?");
}
static void dump_msg(const char *tag, struct uffd_msg *m, pid_t tid)
{
	hex(tag, m, 32);
	uint32_t ptid;
	memcpy(&ptid, (char *)m + 24, 4);
	uint32_t pad;
	memcpy(&pad, (char *)m + 28, 4);
	printf("[%s]     event=%#x reserved1=%u reserved2=%u reserved3=%u flags=%#llx address=%#llx ptid=%u (toucher tid=%d) bytes28..31=%#x\n", WHO,
	       m->event, m->reserved1, m->reserved2, m->reserved3, (unsigned long long)m->arg.pagefault.flags,
	       (unsigned long long)m->arg.pagefault.address, ptid, tid, pad);
}
static void setup(__u64 features, unsigned long len)
{
	U = new_uffd(O_CLOEXEC);
	uffd_api(U, features);
	map_at(BASE, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, BASE, len, 1, NULL);
}
static void teardown(unsigned long len) { close(U); munmap((void *)BASE, len); }
static char srcpage[4096] __attribute__((aligned(4096)));

static void msg_case(const char *name, __u64 features, int write)
{
	printf("[%s] -- %s: features=%#llx access=%s at BASE+0x123\n", WHO, name, (unsigned long long)features, write ? "write" : "read");
	setup(features, 4 * PG);
	struct toucher t;
	spawn(&t, BASE + 0x123, write);
	struct uffd_msg m;
	memset(&m, 0xee, sizeof m);
	ssize_t n = read(U, &m, sizeof m);
	printf("[%s]   read -> %zd\n", WHO, n);
	dump_msg("msg", &m, t.tid);
	fdinfo_line("after read");
	memset(srcpage, 0x42, PG);
	struct uffdio_copy c = {.dst = BASE, .src = (unsigned long)srcpage, .len = PG};
	ioctl(U, UFFDIO_COPY, &c);
	pthread_join(t.th, NULL);
	printf("[%s]   after COPY(0x42): toucher done=%d value=%#x\n", WHO, t.done, t.val);
	fdinfo_line("after COPY");
	teardown(4 * PG);
}

static volatile int got_alrm;
static void on_alrm(int s) { got_alrm = 1; }

static void body(void)
{
	msg_case("read fault, no features", 0, 0);
	msg_case("write fault, no features", 0, 1);
	msg_case("read fault, THREAD_ID", UFFD_FEATURE_THREAD_ID, 0);
	msg_case("write fault, EXACT_ADDRESS", UFFD_FEATURE_EXACT_ADDRESS, 1);
	msg_case("read fault, THREAD_ID|EXACT_ADDRESS", UFFD_FEATURE_THREAD_ID | UFFD_FEATURE_EXACT_ADDRESS, 0);

	/* read() corner cases */
	printf("[%s] -- read() corner cases\n", WHO);
	{
		int raw = syscall(SYS_userfaultfd, (g_unpriv ? UFFD_USER_MODE_ONLY : 0) | O_NONBLOCK);
		char b[64];
		errno = 0; ssize_t n = read(raw, b, 32);
		printf("[%s]   read before UFFDIO_API (O_NONBLOCK fd) -> %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		errno = 0; n = read(raw, b, 0);
		printf("[%s]   read count=0 before API -> %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		uffd_api(raw, 0);
		errno = 0; n = read(raw, b, 32);
		printf("[%s]   read O_NONBLOCK nothing pending count=32 -> %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		errno = 0; n = read(raw, b, 31);
		printf("[%s]   read O_NONBLOCK nothing pending count=31 -> %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		errno = 0; n = read(raw, b, 0);
		printf("[%s]   read O_NONBLOCK count=0 -> %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		errno = 0; n = read(raw, NULL, 32);
		printf("[%s]   read O_NONBLOCK nothing pending buf=NULL -> %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		errno = 0; n = write(raw, b, 32);
		printf("[%s]   write(uffd) -> %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		errno = 0; off_t o = lseek(raw, 0, SEEK_SET);
		printf("[%s]   lseek(uffd) -> %ld errno=%s\n", WHO, (long)o, o < 0 ? en(errno) : "-");
		close(raw);
	}
	/* blocking read interrupted by a signal (no SA_RESTART) */
	{
		int fd = new_uffd(O_CLOEXEC);
		uffd_api(fd, 0);
		struct sigaction sa = {.sa_handler = on_alrm};
		sigaction(SIGALRM, &sa, NULL);
		alarm(1);
		char b[32];
		errno = 0; ssize_t n = read(fd, b, 32);
		printf("[%s]   blocking read, nothing pending, SIGALRM (no SA_RESTART) -> %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		close(fd);
	}
	/* two pending faults */
	printf("[%s] -- two pending faults\n", WHO);
	setup(UFFD_FEATURE_THREAD_ID, 4 * PG);
	{
		struct toucher t1, t2;
		spawn(&t1, BASE + PG, 0);
		usleep(100000);
		spawn(&t2, BASE + 2 * PG, 1);
		usleep(100000);
		fdinfo_line("two faults pending");
		int fl = fcntl(U, F_GETFL);
		fcntl(U, F_SETFL, fl | O_NONBLOCK);
		char b[128];
		errno = 0; ssize_t n = read(U, b, 31);
		printf("[%s]   read count=31 with faults pending -> %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		errno = 0; n = read(U, b, 0);
		printf("[%s]   read count=0 with faults pending -> %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		memset(b, 0xee, sizeof b);
		errno = 0; n = read(U, b, 64);
		printf("[%s]   read count=64 with 2 pending -> %zd errno=%s (t1 tid=%d addr BASE+PG first; t2 tid=%d BASE+2PG)\n", WHO, n, n < 0 ? en(errno) : "-", t1.tid, t2.tid);
		dump_msg("msg[0]", (struct uffd_msg *)b, t1.tid);
		dump_msg("msg[1]", (struct uffd_msg *)(b + 32), t2.tid);
		fdinfo_line("after reading both");
		errno = 0; n = read(U, b, 64);
		printf("[%s]   read again (O_NONBLOCK) -> %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		/* read with count 40 with 2 pending: use fresh faults on page 3 and 0 */
		struct toucher t3, t4;
		spawn(&t3, BASE + 3 * PG, 0);
		usleep(100000);
		spawn(&t4, BASE + 0 * PG, 0);
		usleep(100000);
		errno = 0; n = read(U, b, 40);
		printf("[%s]   read count=40 with 2 pending -> %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		dump_msg("msg", (struct uffd_msg *)b, t3.tid);
		errno = 0; n = read(U, b, 96);
		printf("[%s]   read count=96 with 1 pending -> %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		dump_msg("msg", (struct uffd_msg *)b, t4.tid);
		fdinfo_line("4 blocked, all read");
		/* ZEROPAGE resolving page 1 (read fault) */
		struct uffdio_zeropage z = {.range = {BASE + PG, PG}};
		ioctl(U, UFFDIO_ZEROPAGE, &z);
		usleep(50000);
		printf("[%s]   after ZEROPAGE page1: t1 done=%d val=%#x\n", WHO, t1.done, t1.val);
		/* DONTWAKE */
		memset(srcpage, 0x55, PG);
		struct uffdio_copy c = {.dst = BASE + 2 * PG, .src = (unsigned long)srcpage, .len = PG, .mode = UFFDIO_COPY_MODE_DONTWAKE};
		int r = ioctl(U, UFFDIO_COPY, &c);
		usleep(300000);
		printf("[%s]   COPY DONTWAKE page2 ret=%d copy=%lld; after 300ms t2 done=%d\n", WHO, r, (long long)c.copy, t2.done);
		fdinfo_line("after DONTWAKE copy");
		struct uffdio_range wr = {BASE + 3 * PG, PG};
		r = ioctl(U, UFFDIO_WAKE, &wr);
		usleep(100000);
		printf("[%s]   WAKE page3 (still missing) ret=%d: t3 done=%d (re-faults?)\n", WHO, r, t3.done);
		fdinfo_line("after WAKE of missing page3");
		wr.start = BASE + 2 * PG;
		r = ioctl(U, UFFDIO_WAKE, &wr);
		usleep(100000);
		printf("[%s]   WAKE page2 ret=%d: t2 done=%d val=%#x\n", WHO, r, t2.done, t2.val);
		fdinfo_line("after WAKE page2");
		/* read re-delivered fault for page 3 */
		memset(b, 0xee, sizeof b);
		errno = 0; n = read(U, b, 32);
		printf("[%s]   read after WAKE of still-missing page3 -> %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		if (n == 32) dump_msg("msg", (struct uffd_msg *)b, t3.tid);
		/* now close the uffd with t3 (read, page3) and t4 (read, page0) blocked */
		printf("[%s]   closing uffd with t3 (read page3) and t4 (read page0) blocked\n", WHO);
		close(U);
		usleep(200000);
		printf("[%s]   after close: t3 done=%d val=%#x, t4 done=%d val=%#x\n", WHO, t3.done, t3.val, t4.done, t4.val);
		print_pagemap("page3 after close", BASE + 3 * PG);
		print_pagemap("page0 after close", BASE);
		smaps_range("after close", BASE, BASE + 4 * PG);
		pthread_join(t1.th, NULL); pthread_join(t2.th, NULL); pthread_join(t3.th, NULL); pthread_join(t4.th, NULL);
		munmap((void *)BASE, 4 * PG);
	}
	/* close with a blocked WRITE fault */
	printf("[%s] -- close uffd with a blocked write fault\n", WHO);
	setup(0, 4 * PG);
	{
		struct toucher t;
		spawn(&t, BASE + PG + 8, 1);
		usleep(200000);
		fdinfo_line("blocked write");
		close(U);
		pthread_join(t.th, NULL);
		printf("[%s]   after close: done=%d val=%#x, byte[0] of page=%#x byte[8]=%#x\n", WHO, t.done, t.val, *(unsigned char *)(BASE + PG), *(unsigned char *)(BASE + PG + 8));
		print_pagemap("page1 after close (write)", BASE + PG);
		/* fault after close: normal */
		unsigned char v = *(volatile unsigned char *)(BASE + 2 * PG);
		printf("[%s]   read of page2 after close -> %#x (no block, no SIGBUS)\n", WHO, v);
		print_pagemap("page2 after close (read)", BASE + 2 * PG);
		smaps_range("after close", BASE, BASE + 4 * PG);
		munmap((void *)BASE, 4 * PG);
	}
	/* unregister with a blocked thread */
	printf("[%s] -- UNREGISTER with a blocked read fault\n", WHO);
	setup(0, 4 * PG);
	{
		struct toucher t;
		spawn(&t, BASE, 0);
		usleep(200000);
		struct uffdio_range r = {BASE, 4 * PG};
		int rr = ioctl(U, UFFDIO_UNREGISTER, &r);
		usleep(100000);
		printf("[%s]   UNREGISTER ret=%d; toucher done=%d val=%#x\n", WHO, rr, t.done, t.val);
		fdinfo_line("after unregister");
		print_pagemap("page0", BASE);
		pthread_join(t.th, NULL);
		teardown(4 * PG);
	}
	/* fork child closes?  dup'ed fd: close one copy only -> no release */
	printf("[%s] -- dup()ed uffd: closing one of two fds with a blocked fault\n", WHO);
	setup(0, 4 * PG);
	{
		int d = dup(U);
		struct toucher t;
		spawn(&t, BASE, 0);
		usleep(200000);
		close(U);
		usleep(200000);
		printf("[%s]   after close(orig) with dup alive: toucher done=%d\n", WHO, t.done);
		U = d;
		fdinfo_line("dup");
		close(d);
		pthread_join(t.th, NULL);
		printf("[%s]   after close(dup): toucher done=%d val=%#x\n", WHO, t.done, t.val);
		munmap((void *)BASE, 4 * PG);
	}
	/* WP fault message */
	printf("[%s] -- WP fault message (MISSING|WP, page copied with MODE_WP, then written)\n", WHO);
	U = new_uffd(O_CLOEXEC);
	uffd_api(U, UFFD_FEATURE_PAGEFAULT_FLAG_WP | UFFD_FEATURE_EXACT_ADDRESS);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, BASE, 4 * PG, 3, NULL);
	{
		memset(srcpage, 0x11, PG);
		struct uffdio_copy c = {.dst = BASE, .src = (unsigned long)srcpage, .len = PG, .mode = UFFDIO_COPY_MODE_WP};
		ioctl(U, UFFDIO_COPY, &c);
		struct toucher t;
		spawn(&t, BASE + 0x10, 0);
		pthread_join(t.th, NULL);
		printf("[%s]   read of WP page: not trapped, val=%#x\n", WHO, t.val);
		spawn(&t, BASE + 0x10, 1);
		struct uffd_msg m;
		ssize_t n = read(U, &m, 32);
		printf("[%s]   read -> %zd\n", WHO, n);
		dump_msg("wp msg", &m, t.tid);
		struct uffdio_writeprotect w = {.range = {BASE, PG}, .mode = 0};
		int r = ioctl(U, UFFDIO_WRITEPROTECT, &w);
		pthread_join(t.th, NULL);
		printf("[%s]   UFFDIO_WRITEPROTECT(mode=0) ret=%d; toucher done=%d val=%#x\n", WHO, r, t.done, t.val);
	}
	teardown(4 * PG);
	/* MINOR fault message on shmem */
	printf("[%s] -- MINOR fault message (memfd shared, page in page cache)\n", WHO);
	{
		int mfd = memfd_create("minor", 0);
		ftruncate(mfd, 4 * PG);
		pwrite(mfd, "M", 1, 0);
		U = new_uffd(O_CLOEXEC);
		uffd_api(U, UFFD_FEATURE_MINOR_SHMEM);
		map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd);
		uffd_reg(U, BASE, 4 * PG, UFFDIO_REGISTER_MODE_MINOR, NULL);
		struct toucher t;
		spawn(&t, BASE, 0);
		struct uffd_msg m;
		ssize_t n = read(U, &m, 32);
		printf("[%s]   read -> %zd\n", WHO, n);
		dump_msg("minor msg", &m, t.tid);
		struct { struct uffdio_range range; __u64 mode; __s64 mapped; } cont = {{BASE, PG}, 0, SENT};
		int r = ioctl(U, UFFDIO_CONTINUE, &cont);
		pthread_join(t.th, NULL);
		printf("[%s]   UFFDIO_CONTINUE ret=%d mapped=%lld; toucher val=%c\n", WHO, r, (long long)cont.mapped, t.val);
		spawn(&t, BASE + PG, 0);
		usleep(100000);
		printf("[%s]   read of page1 (hole in file, MINOR-only) -> done=%d val=%#x (not trapped?)\n", WHO, t.done, t.val);
		pthread_join(t.th, NULL);
		teardown(4 * PG);
	}
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both("p08_faults", body);
	return 0;
}
