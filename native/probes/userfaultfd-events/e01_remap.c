/* A1: UFFD_EVENT_REMAP (and UNMAP) produced by mremap() of a MISSING-registered private anon VMA */
#include "ev.h"
static int U;
static long mremap_fn(struct actor *a)
{
	return (long)mremap((void *)a->a[0], a->a[1], a->a[2], (int)a->a[3], (void *)a->a[4]);
}
static const char *fname(__u64 f)
{
	static char b[64];
	b[0] = 0;
	if (!f) strcat(b, "none");
	if (f & F_EVREMAP) strcat(b, "REMAP ");
	if (f & F_EVUNMAP) strcat(b, "UNMAP ");
	if (f & F_EVREMOVE) strcat(b, "REMOVE ");
	return b;
}
/* A0: 4-page VMA registered MISSING, page0 = 0x11 (populated before registration), pages 1..3 missing */
static void setup(__u64 feat, int pages)
{
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, feat);
	map_at(A0, pages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	memset((void *)A0, 0x11, 1);
	int r = uffd_reg(U, A0, pages * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	if (r) printf("[%s] register failed %d\n", WHO, r);
}
static void run(const char *name, __u64 feat, unsigned long old, unsigned long olen, unsigned long nlen, int flags,
		unsigned long naddr, void (*pre)(void), unsigned long probe_new, unsigned long probe_old)
{
	printf("[%s] ---- %s | features: %s\n", WHO, name, fname(feat));
	setup(feat, 4);
	if (pre) pre();
	layout("before", A0, A0 + 16 * PG);
	if (naddr) layout("before (target)", naddr, naddr + 8 * PG);
	struct actor a = {.name = "mremap", .fn = mremap_fn, .a = {old, olen, nlen, flags, naddr}};
	actor_start(&a);
	int was = actor_wait(&a, 300);
	printf("[%s]   mremap(%#lx, %#lx, %#lx, flags=%#x, %#lx): done within 300ms=%d\n", WHO, old, olen, nlen, flags, naddr, was);
	if (!was) {
		layout("while mremap blocked (source)", A0, A0 + 16 * PG);
		if (naddr) layout("while mremap blocked (target)", naddr, naddr + 8 * PG);
	}
	drain(U, &a);
	actor_finish(&a, 3000);
	actor_report(&a);
	layout("after (source)", A0, A0 + 16 * PG);
	unsigned long res = a.ret;
	if (a.ret != -1 && res != A0) layout("after (result)", res, res + 8 * PG);
	if (a.ret == -1 && naddr) layout("after failure (target)", naddr, naddr + 8 * PG);
	if (a.ret != -1) {
		unsigned char vec = 0;
		mincore((void *)res, PG, &vec);
		if (vec & 1) printf("[%s]   byte at result+0 = %#x (page0 was 0x11)\n", WHO, *(volatile unsigned char *)res);
		else printf("[%s]   result+0 not present (mincore 0)\n", WHO);
		if (probe_new) probe_fault("result page", U, res + probe_new);
		if (probe_old) probe_fault("old page", U, probe_old);
	}
	close(U);
	if (a.ret != -1 && (res < BASE || res >= BASE + 0x800000)) munmap((void *)res, nlen);
	cleanup_all();
}
static void blocker(void) { map_at(A0 + 4 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1); }
static void target_registered(void)
{
	map_at(B0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, B0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
}
static void target_unregistered(void)
{
	map_at(B0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
}
static void two_vmas(void)
{
	/* A0..A0+4 registered (setup) ; add A0+4..A0+8 registered with PROT_READ -> 2 VMAs */
	map_at(A0 + 4 * PG, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, A0 + 4 * PG, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
}
static void two_vmas_unreg(void)
{
	/* make A0..A0+4 unregistered again, add A0+4..A0+8 PROT_READ unregistered */
	struct uffdio_range r = {A0, 4 * PG};
	ioctl(U, UFFDIO_UNREGISTER, &r);
	map_at(A0 + 4 * PG, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
}
static void two_vmas_second_reg(void)
{
	struct uffdio_range r = {A0, 4 * PG};
	ioctl(U, UFFDIO_UNREGISTER, &r);
	map_at(A0 + 4 * PG, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, A0 + 4 * PG, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
}
static void body(void)
{
	__u64 fs[] = {0, F_EVREMAP, F_EVUNMAP, F_EVREMAP | F_EVUNMAP};
	for (int i = 0; i < 4; i++) {
		__u64 f = fs[i];
		run("move whole VMA (MAYMOVE|FIXED) A0->B0", f, A0, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0, NULL, 2 * PG, 0);
		run("grow in place 4->8 pages (flags 0)", f, A0, 4 * PG, 8 * PG, 0, 0, NULL, 6 * PG, 0);
		run("grow 4->8 with MAYMOVE, blocked in place (kernel picks address)", f, A0, 4 * PG, 8 * PG, MREMAP_MAYMOVE, 0, blocker, 6 * PG, 0);
		run("move+grow 4->8 (MAYMOVE|FIXED) A0->B0", f, A0, 4 * PG, 8 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0, NULL, 6 * PG, 0);
		run("shrink in place 4->2 (flags 0)", f, A0, 4 * PG, 2 * PG, 0, 0, NULL, PG, 0);
		run("shrink+move 4->2 (MAYMOVE|FIXED) A0->B0", f, A0, 4 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0, NULL, PG, 0);
		run("DONTUNMAP (MAYMOVE|FIXED|DONTUNMAP) A0->B0", f, A0, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, B0, NULL, 2 * PG, A0);
		run("DONTUNMAP without FIXED (kernel picks)", f, A0, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0, NULL, 2 * PG, A0 + PG);
		run("partial move: pages 1..2 of A0 -> B0", f, A0 + PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0, NULL, PG, A0 + 3 * PG);
		run("move onto a REGISTERED target B0 (same uffd)", f, A0, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0, target_registered, 2 * PG, 0);
		run("move onto an unregistered mapped target B0", f, A0, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0, target_unregistered, 2 * PG, 0);
		run("move range spanning 2 registered VMAs (rw|r) A0..A0+8 -> B0", f, A0, 8 * PG, 8 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0, two_vmas, 2 * PG, 0);
		run("CONTROL: move range spanning 2 UNREGISTERED VMAs (rw|r) -> B0", f, A0, 8 * PG, 8 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0, two_vmas_unreg, 0, 0);
		run("move range spanning [unregistered rw][registered r] -> B0", f, A0, 8 * PG, 8 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0, two_vmas_second_reg, 0, 0);
		run("failing mremap: FIXED target overlaps source (EINVAL)", f, A0, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, A0 + 2 * PG, NULL, 0, 0);
		run("same-size in place (4->4, flags 0)", f, A0, 4 * PG, 4 * PG, 0, 0, NULL, 0, 0);
		run("mremap old_size=0 of private anon (EINVAL expected)", f, A0, 0, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0, NULL, 0, 0);
	}
}
int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both3("e01_remap", body);
	return 0;
}
