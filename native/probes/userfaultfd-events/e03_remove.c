/* A3: UFFD_EVENT_REMOVE: madvise(MADV_DONTNEED/REMOVE/FREE/...) on registered ranges */
#include "ev.h"
#include <linux/falloc.h>
static int U;
static int g_mfd = -1;
static long madv_fn(struct actor *a) { return madvise((void *)a->a[0], a->a[1], (int)a->a[2]); }
static long munmap_fn(struct actor *a) { return munmap((void *)a->a[0], a->a[1]); }
static long punch_fn(struct actor *a) { return fallocate((int)a->a[0], FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, a->a[1], a->a[2]); }
static void setup(__u64 feat)
{
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, feat);
	map_at(A0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	for (int i = 0; i < 4; i++) memset((void *)(A0 + i * PG), 0x11 + i, 1);
	if (uffd_reg(U, A0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL)) printf("reg failed\n");
}
static void pages(const char *tag)
{
	printf("[%s]   pages %s:", WHO, tag);
	for (int i = 0; i < 8; i++) {
		unsigned char v = 0;
		if (mincore((void *)(A0 + i * PG), PG, &v)) printf(" p%d:-", i);
		else printf(" p%d:%d", i, v & 1);
	}
	printf("\n");
}
static void file_state(const char *tag)
{
	if (g_mfd < 0) return;
	struct stat st;
	fstat(g_mfd, &st);
	unsigned char b = 0xee;
	pread(g_mfd, &b, 1, 0);
	unsigned char b1 = 0xee;
	pread(g_mfd, &b1, 1, PG);
	printf("[%s]   memfd %s: st_blocks=%ld byte@0=%#x byte@PG=%#x\n", WHO, tag, (long)st.st_blocks, b, b1);
}
static void (*g_during)(void);
static void run(const char *name, __u64 feat, struct actor *a, void (*pre)(void))
{
	printf("[%s] ---- %s | features: %s\n", WHO, name, feat == F_EVREMOVE ? "REMOVE" : feat ? "other" : "none");
	setup(feat);
	if (pre) pre();
	layout("before", A0, A0 + 8 * PG);
	pages("before");
	file_state("before");
	actor_start(a);
	int was = actor_wait(a, 300);
	printf("[%s]   %s(%#lx, %#lx, %ld): done within 300ms=%d\n", WHO, a->name, a->a[0], a->a[1], (long)a->a[2], was);
	if (!was) {
		layout("while blocked", A0, A0 + 8 * PG);
		pages("while blocked");
		file_state("while blocked");
		if (g_during) g_during();
	}
	drain(U, a);
	actor_finish(a, 3000);
	actor_report(a);
	layout("after", A0, A0 + 8 * PG);
	pages("after");
	file_state("after");
	close(U);
	g_during = NULL;
	cleanup_all();
	if (g_mfd >= 0) close(g_mfd);
	g_mfd = -1;
}
static void pre_split_unreg(void)
{
	struct uffdio_range r = {A0, 2 * PG};
	ioctl(U, UFFDIO_UNREGISTER, &r);
}
static void pre_two_same(void)
{
	map_at(A0 + 4 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	for (int i = 4; i < 8; i++) memset((void *)(A0 + i * PG), 0x11 + i, 1);
	mprotect((void *)(A0 + 4 * PG), 4 * PG, PROT_READ);
	uffd_reg(U, A0 + 4 * PG, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
}
static void pre_unreg_other(void)
{
	map_at(A0 + 4 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	for (int i = 4; i < 8; i++) memset((void *)(A0 + i * PG), 0x11 + i, 1);
}
static void pre_shmem(void)
{
	struct uffdio_range r = {A0, 4 * PG};
	ioctl(U, UFFDIO_UNREGISTER, &r);
	munmap((void *)A0, 4 * PG);
	g_mfd = memfd_create("m", 0);
	ftruncate(g_mfd, 4 * PG);
	map_at(A0, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, g_mfd);
	for (int i = 0; i < 4; i++) memset((void *)(A0 + i * PG), 0x21 + i, 1);
	uffd_reg(U, A0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
}
static void pre_wp_only(void)
{
	struct uffdio_range r = {A0, 4 * PG};
	ioctl(U, UFFDIO_UNREGISTER, &r);
	uffd_reg(U, A0, 4 * PG, UFFDIO_REGISTER_MODE_WP, NULL);
}
static void pre_mlock(void)
{
	int r = mlock((void *)A0, 4 * PG);
	printf("[%s]   mlock -> %d %s\n", WHO, r, r ? en(errno) : "");
}
static void during_munmap(void)
{
	int r = munmap((void *)A0, 4 * PG);
	printf("[%s]   monitor: munmap(A0,4p) while REMOVE pending -> %d %s\n", WHO, r, r ? en(errno) : "");
	layout("after monitor munmap", A0, A0 + 8 * PG);
}
static void during_copy(void)
{
	long r = do_copy(U, A0 + PG, 0x77, PG);
	printf("[%s]   monitor: UFFDIO_COPY(A0+1p) while REMOVE pending -> %ld\n", WHO, r);
}
#define MA(s, l, adv) ((struct actor){.name = "madvise", .fn = madv_fn, .a = {s, l, adv}})
static void body(void)
{
	__u64 fs[] = {0, F_EVREMOVE};
	for (int i = 0; i < 2; i++) {
		__u64 f = fs[i];
		struct actor a;
		a = MA(A0, 4 * PG, MADV_DONTNEED); run("MADV_DONTNEED whole registered VMA (4 populated pages)", f, &a, NULL);
		a = MA(A0 + PG, 2 * PG, MADV_DONTNEED); run("MADV_DONTNEED pages 1..2", f, &a, NULL);
		a = MA(A0, PG + 1, MADV_DONTNEED); run("MADV_DONTNEED len PG+1", f, &a, NULL);
		a = MA(A0, 4 * PG, MADV_DONTNEED); run("MADV_DONTNEED over [unregistered 2p][registered 2p]", f, &a, pre_split_unreg);
		a = MA(A0, 8 * PG, MADV_DONTNEED); run("MADV_DONTNEED over 2 registered VMAs (rw|r) same ctx", f, &a, pre_two_same);
		a = MA(A0 + 4 * PG, 4 * PG, MADV_DONTNEED); run("MADV_DONTNEED on an unregistered VMA", f, &a, pre_unreg_other);
		a = MA(A0, 8 * PG, MADV_DONTNEED); run("MADV_DONTNEED over [registered 4p][hole 4p] (ENOMEM)", f, &a, NULL);
		a = MA(A0, 4 * PG, MADV_DONTNEED); run("MADV_DONTNEED on WP-only registered VMA", f, &a, pre_wp_only);
		a = MA(A0, 4 * PG, MADV_DONTNEED); run("MADV_DONTNEED on mlocked registered VMA (EINVAL)", f, &a, pre_mlock);
		a = MA(A0, 4 * PG, MADV_DONTNEED_LOCKED); run("MADV_DONTNEED_LOCKED on mlocked registered VMA", f, &a, pre_mlock);
		a = MA(A0, 4 * PG, MADV_DONTNEED_LOCKED); run("MADV_DONTNEED_LOCKED on registered VMA", f, &a, NULL);
		a = MA(A0, 4 * PG, MADV_FREE); run("MADV_FREE on registered anon", f, &a, NULL);
		a = MA(A0, 4 * PG, MADV_PAGEOUT); run("MADV_PAGEOUT on registered anon", f, &a, NULL);
		a = MA(A0, 4 * PG, MADV_COLD); run("MADV_COLD on registered anon", f, &a, NULL);
		a = MA(A0, 4 * PG, MADV_REMOVE); run("MADV_REMOVE on private anon (EINVAL)", f, &a, NULL);
		a = MA(A0, 2 * PG, MADV_REMOVE); run("MADV_REMOVE on registered memfd MAP_SHARED pages 0..1", f, &a, pre_shmem);
		a = MA(A0, 2 * PG, MADV_DONTNEED); run("MADV_DONTNEED on registered memfd MAP_SHARED pages 0..1", f, &a, pre_shmem);
		g_mfd = -1;
		a = (struct actor){.name = "fallocate-punch", .fn = punch_fn};
		printf("[%s] (next case: fallocate(PUNCH_HOLE) on the memfd backing a registered mapping)\n", WHO);
		{
			/* build manually: pre_shmem creates g_mfd; actor args need the fd */
			setup(f);
			pre_shmem();
			a.a[0] = g_mfd; a.a[1] = 0; a.a[2] = 2 * PG;
			layout("before", A0, A0 + 4 * PG);
			file_state("before");
			actor_start(&a);
			int was = actor_wait(&a, 300);
			printf("[%s]   fallocate(PUNCH_HOLE, 0, 2p): done within 300ms=%d\n", WHO, was);
			drain(U, &a);
			actor_finish(&a, 3000);
			actor_report(&a);
			pages("after");
			file_state("after");
			close(U);
			cleanup_all();
			close(g_mfd);
			g_mfd = -1;
		}
		a = (struct actor){.name = "munmap", .fn = munmap_fn, .a = {A0, 4 * PG}};
		run("munmap of registered VMA (REMOVE does not cover munmap)", f, &a, NULL);
		if (f) {
			g_during = during_munmap;
			a = MA(A0, 4 * PG, MADV_DONTNEED); run("MADV_DONTNEED; monitor munmaps the range while REMOVE pending", f, &a, NULL);
			g_during = during_copy;
			a = MA(A0, 4 * PG, MADV_DONTNEED); run("MADV_DONTNEED; monitor UFFDIO_COPY while REMOVE pending", f, &a, NULL);
		}
	}
}
int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both3("e03_remove", body);
	return 0;
}
