/* A2: UFFD_EVENT_UNMAP: munmap / mmap(MAP_FIXED) / mremap(FIXED) over registered ranges */
#include "ev.h"
static int U, U2 = -1;
static __u64 g_feat;
static long munmap_fn(struct actor *a) { return munmap((void *)a->a[0], a->a[1]); }
static long mmap_fn(struct actor *a)
{
	return (long)mmap((void *)a->a[0], a->a[1], (int)a->a[2], (int)a->a[3], (int)a->a[4], 0);
}
static long mremap_fn(struct actor *a)
{
	return (long)mremap((void *)a->a[0], a->a[1], a->a[2], (int)a->a[3], (void *)a->a[4]);
}
static void setup(__u64 feat)
{
	g_feat = feat;
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, feat);
	map_at(A0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	memset((void *)A0, 0x11, 1);
	if (uffd_reg(U, A0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL)) printf("reg failed\n");
}
static void run(const char *name, __u64 feat, struct actor *a, void (*pre)(void), unsigned long lo, unsigned long hi)
{
	printf("[%s] ---- %s | features: %s\n", WHO, name, feat ? "UNMAP" : "none");
	setup(feat);
	if (pre) pre();
	layout("before", lo, hi);
	actor_start(a);
	int was = actor_wait(a, 300);
	printf("[%s]   %s(%#lx, %#lx ...): done within 300ms=%d\n", WHO, a->name, a->a[0], a->a[1], was);
	if (!was) layout("while blocked", lo, hi);
	int fds[2] = {U, U2};
	drain_fds(fds, U2 >= 0 ? 2 : 1, a, 250);
	actor_finish(a, 3000);
	actor_report(a);
	layout("after", lo, hi);
	close(U);
	if (U2 >= 0) close(U2);
	U2 = -1;
	cleanup_all();
}
static void pre_unreg_after(void) { map_at(A0 + 4 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1); }
static void pre_two_same(void)
{
	map_at(A0 + 4 * PG, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, A0 + 4 * PG, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
}
static void pre_two_ctx(void)
{
	U2 = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U2, g_feat);
	map_at(A0 + 4 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U2, A0 + 4 * PG, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	printf("[%s]   (U=fd %d registered A0..A0+4p, U2=fd %d registered A0+4p..A0+8p, same features)\n", WHO, U, U2);
}
static void pre_two_ctx_rev(void)
{
	/* U2 owns the LOWER VMA: unregister A0 from U, register with U2; U registers the upper one */
	struct uffdio_range r = {A0, 4 * PG};
	ioctl(U, UFFDIO_UNREGISTER, &r);
	U2 = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U2, g_feat);
	uffd_reg(U2, A0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	map_at(A0 + 4 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, A0 + 4 * PG, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	printf("[%s]   (U2=fd %d (created second) registered A0..A0+4p, U=fd %d registered A0+4p..A0+8p)\n", WHO, U2, U);
}
static void pre_two_ctx_nofeat(void)
{
	U2 = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U2, 0);
	map_at(A0 + 4 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U2, A0 + 4 * PG, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	printf("[%s]   (U2=fd %d without EVENT_UNMAP registered A0+4p..A0+8p)\n", WHO, U2);
}
static void pre_wp_only(void)
{
	struct uffdio_range r = {A0, 4 * PG};
	ioctl(U, UFFDIO_UNREGISTER, &r);
	uffd_reg(U, A0, 4 * PG, UFFDIO_REGISTER_MODE_WP, NULL);
}
static void pre_src_c0(void) { map_at(C0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1); }
static int g_mfd = -1;
static void pre_shmem(void)
{
	struct uffdio_range r = {A0, 4 * PG};
	ioctl(U, UFFDIO_UNREGISTER, &r);
	munmap((void *)A0, 4 * PG);
	if (g_mfd < 0) { g_mfd = memfd_create("m", 0); ftruncate(g_mfd, 4 * PG); }
	map_at(A0, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, g_mfd);
	uffd_reg(U, A0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
}
#define MU(nm, s, l) ((struct actor){.name = nm, .fn = munmap_fn, .a = {s, l}})
static void body(void)
{
	__u64 fs[] = {0, F_EVUNMAP};
	for (int i = 0; i < 2; i++) {
		__u64 f = fs[i];
		struct actor a;
		a = MU("munmap", A0, 4 * PG); run("munmap whole registered VMA", f, &a, NULL, A0, A0 + 8 * PG);
		a = MU("munmap", A0 + PG, PG); run("munmap middle page", f, &a, NULL, A0, A0 + 8 * PG);
		a = MU("munmap", A0, PG + 1); run("munmap len PG+1 (unaligned len)", f, &a, NULL, A0, A0 + 8 * PG);
		a = MU("munmap", A0 + 2 * PG, 4 * PG); run("munmap spanning [registered][unregistered]", f, &a, pre_unreg_after, A0, A0 + 8 * PG);
		a = MU("munmap", A0 + 4 * PG, 4 * PG); run("munmap only the unregistered neighbour", f, &a, pre_unreg_after, A0, A0 + 8 * PG);
		a = MU("munmap", A0 - 2 * PG, 4 * PG); run("munmap spanning [hole][registered]", f, &a, NULL, A0 - 4 * PG, A0 + 8 * PG);
		a = MU("munmap", A0 + 16 * PG, 4 * PG); run("munmap of a hole (no VMA)", f, &a, NULL, A0, A0 + 32 * PG);
		a = MU("munmap", A0, 8 * PG); run("munmap 2 registered VMAs (rw|r) same ctx", f, &a, pre_two_same, A0, A0 + 8 * PG);
		a = MU("munmap", A0, 8 * PG); run("munmap 2 VMAs of 2 ctxs (U low, U2 high)", f, &a, pre_two_ctx, A0, A0 + 8 * PG);
		a = MU("munmap", A0, 8 * PG); run("munmap 2 VMAs of 2 ctxs (U2 low, U high)", f, &a, pre_two_ctx_rev, A0, A0 + 8 * PG);
		a = MU("munmap", A0, 8 * PG); run("munmap 2 VMAs: U (feature per run), U2 without UNMAP", f, &a, pre_two_ctx_nofeat, A0, A0 + 8 * PG);
		a = MU("munmap", A0, 4 * PG); run("munmap WP-only registered VMA", f, &a, pre_wp_only, A0, A0 + 8 * PG);
		a = MU("munmap", A0, 4 * PG); run("munmap registered memfd MAP_SHARED VMA", f, &a, pre_shmem, A0, A0 + 8 * PG);
		a = MU("munmap", A0, 0); run("munmap len 0 (EINVAL)", f, &a, NULL, A0, A0 + 8 * PG);
		a = MU("munmap", A0 + 1, PG); run("munmap unaligned start (EINVAL)", f, &a, NULL, A0, A0 + 8 * PG);
		a = (struct actor){.name = "mmap", .fn = mmap_fn, .a = {A0 + PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1}};
		run("mmap(MAP_FIXED, PROT_READ anon) over pages 1..2", f, &a, NULL, A0, A0 + 8 * PG);
		a = (struct actor){.name = "mmap", .fn = mmap_fn, .a = {A0 - PG, 6 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1}};
		run("mmap(MAP_FIXED rw anon) over [hole][whole VMA][hole]", f, &a, NULL, A0 - 2 * PG, A0 + 8 * PG);
		a = (struct actor){.name = "mmap", .fn = mmap_fn, .a = {A0 + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1}};
		run("mmap(MAP_FIXED_NOREPLACE) over registered page (EEXIST)", f, &a, NULL, A0, A0 + 8 * PG);
		a = (struct actor){.name = "mremap", .fn = mremap_fn, .a = {C0, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, A0}};
		run("mremap(C0 unregistered -> A0 registered, FIXED): target unmapped", f, &a, pre_src_c0, A0, A0 + 8 * PG);
		a = (struct actor){.name = "mremap", .fn = mremap_fn, .a = {C0, 4 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, A0 + PG}};
		run("mremap(C0 4p->2p unregistered -> A0+1p FIXED)", f, &a, pre_src_c0, A0, A0 + 8 * PG);
	}
}
int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both3("e02_unmap", body);
	return 0;
}
