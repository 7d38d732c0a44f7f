/* A: UFFDIO_WRITEPROTECT errors and check order (private anon) */
#include "common2.h"
#define W(l, s, n, m) WP(U, l, s, n, m)
static void body(void)
{
	/* before API */
	{
		int u = new_uffd(O_CLOEXEC);
		struct uffdio_wp_ w = {{BASE, PG}, 0};
		errno = 0; int r = ioctl(u, UFFDIO_WP_, &w);
		printf("[%s] WP before UFFDIO_API -> %d %s\n", WHO, r, r ? en(errno) : "-");
		errno = 0; r = ioctl(u, UFFDIO_WP_, NULL);
		printf("[%s] WP before UFFDIO_API arg=NULL -> %d %s\n", WHO, r, r ? en(errno) : "-");
		close(u);
	}
	for (int feat = 0; feat <= 1; feat++) {
		__u64 F = feat ? UFFD_FEATURE_PAGEFAULT_FLAG_WP : 0;
		printf("[%s] ===== features=%#llx =====\n", WHO, (unsigned long long)F);
		int U = new_uffd(O_CLOEXEC | O_NONBLOCK);
		uffd_api(U, F);
		/* layout: A: 0..3 WP-registered (MISSING|WP), 4..5 hole, 6..9 WP-registered(WP only),
		 *         10..11 MISSING only, 12..13 unregistered, 16..19 registered WP by other uffd
		 *         20..21 PROT_READ registered WP, 22..23 PROT_NONE registered WP */
		map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		map_at(BASE + 6 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		map_at(BASE + 10 * PG, 2 * PG, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		map_at(BASE + 12 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1);
		map_at(BASE + 16 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		map_at(BASE + 20 * PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		map_at(BASE + 22 * PG, 2 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		for (int i = 0; i < 24; i++) if (i < 4 || (i >= 6 && i < 14) || (i >= 16 && i < 20)) *(volatile char *)(BASE + i * PG) = 1; /* populate */
		uffd_reg(U, BASE, 4 * PG, 3, NULL);
		uffd_reg(U, BASE + 6 * PG, 4 * PG, 2, NULL);
		uffd_reg(U, BASE + 10 * PG, 2 * PG, 1, NULL);
		int U2 = new_uffd(O_CLOEXEC | O_NONBLOCK);
		uffd_api(U2, F);
		uffd_reg(U2, BASE + 16 * PG, 4 * PG, 2, NULL);
		uffd_reg(U, BASE + 20 * PG, 2 * PG, 2, NULL);
		uffd_reg(U, BASE + 22 * PG, 2 * PG, 2, NULL);
		vmas("layout", BASE, BASE + 24 * PG);

		W("ok page0", BASE, PG, WPM_WP);
		pm("page0 after protect", BASE);
		W("ok page0 unprotect", BASE, PG, 0);
		pm("page0 after unprotect", BASE);
		W("unaligned start +1", BASE + 1, PG, WPM_WP);
		W("unaligned start +0x800", BASE + 0x800, PG, WPM_WP);
		W("unaligned len PG+1", BASE, PG + 1, WPM_WP);
		W("len 1", BASE, 1, WPM_WP);
		W("len 0", BASE, 0, WPM_WP);
		W("start=0 len=0", 0, 0, WPM_WP);
		W("start=0 len=PG (no vma)", 0, PG, WPM_WP);
		W("start=0x1000 (hole)", 0x1000, PG, WPM_WP);
		W("start=TASK_SIZE", 0x7ffffffff000UL, PG, WPM_WP);
		W("end > TASK_SIZE", 0x7fffffffe000UL, 2 * PG, WPM_WP);
		W("end == TASK_SIZE (hole)", 0x7fffffffe000UL, PG, WPM_WP);
		W("start 0x800000000000", 0x800000000000UL, PG, WPM_WP);
		W("kernel address", 0xffff800000000000UL, PG, WPM_WP);
		W("len overflow", BASE, 0xfffffffffffff000UL, WPM_WP);
		W("len overflow 2", BASE, 0xfffff00000000000UL, WPM_WP);
		W("range entirely in hole (pages 4-5)", BASE + 4 * PG, 2 * PG, WPM_WP);
		W("range entirely in hole, unprotect", BASE + 4 * PG, 2 * PG, 0);
		W("range in hole below BASE", BASE - 2 * PG, PG, WPM_WP);
		W("hole then WP vma (BASE-PG,2PG)", BASE - PG, 2 * PG, WPM_WP);
		pm("page0", BASE);
		W("unprotect hole then WP vma", BASE - PG, 2 * PG, 0);
		W("WP vma then hole (page3..4)", BASE + 3 * PG, 2 * PG, WPM_WP);
		pm("page3", BASE + 3 * PG);
		W("vma, hole, vma (pages 3..6)", BASE + 3 * PG, 4 * PG, WPM_WP);
		pm("page3", BASE + 3 * PG);
		pm("page6", BASE + 6 * PG);
		W("unprotect vma, hole, vma (pages 0..9)", BASE, 10 * PG, 0);
		pm("page3", BASE + 3 * PG);
		pm("page6", BASE + 6 * PG);
		W("MISSING-only vma (page10)", BASE + 10 * PG, PG, WPM_WP);
		W("MISSING-only vma unprotect", BASE + 10 * PG, PG, 0);
		W("unregistered vma (page12)", BASE + 12 * PG, PG, WPM_WP);
		W("unregistered vma unprotect", BASE + 12 * PG, PG, 0);
		W("WP vma pages 8..9 + MISSING-only page10", BASE + 8 * PG, 3 * PG, WPM_WP);
		pm("page8 (partial apply?)", BASE + 8 * PG);
		pm("page9", BASE + 9 * PG);
		W("MISSING-only 10 + unregistered 12? (10..13)", BASE + 10 * PG, 4 * PG, WPM_WP);
		W("unprotect 8..9 + page10", BASE + 8 * PG, 3 * PG, 0);
		pm("page8", BASE + 8 * PG);
		W("protect 6..9 again", BASE + 6 * PG, 4 * PG, WPM_WP);
		W("unprotect 6..9 + 10 (ENOENT): page8 state?", BASE + 6 * PG, 5 * PG, 0);
		pm("page8", BASE + 8 * PG);
		W("unprotect 6..9", BASE + 6 * PG, 4 * PG, 0);
		W("page10(MISSING) then 11.. no; 10..11 via other", BASE + 10 * PG, 2 * PG, WPM_WP);
		W("other uffd's vma (16..19) via U", BASE + 16 * PG, PG, WPM_WP);
		pm("page16", BASE + 16 * PG);
		W("other uffd's vma unprotect via U", BASE + 16 * PG, PG, 0);
		pm("page16", BASE + 16 * PG);
		W("PROT_READ registered WP (20)", BASE + 20 * PG, 2 * PG, WPM_WP);
		W("PROT_NONE registered WP (22)", BASE + 22 * PG, 2 * PG, WPM_WP);
		W("mode 4", BASE, PG, 4);
		W("mode 8", BASE, PG, 8);
		W("mode 1<<63", BASE, PG, 1ULL << 63);
		W("mode WP|4", BASE, PG, 5);
		W("mode WP|DONTWAKE", BASE, PG, 3);
		W("mode DONTWAKE", BASE, PG, 2);
		pm("page0", BASE);
		/* order */
		printf("[%s] -- order\n", WHO);
		W("mode 4 + hole", BASE + 4 * PG, PG, 4);
		W("mode 4 + unregistered", BASE + 12 * PG, PG, 4);
		W("mode WP|DONTWAKE + hole", BASE + 4 * PG, PG, 3);
		W("mode WP|DONTWAKE + unregistered", BASE + 12 * PG, PG, 3);
		W("mode WP|DONTWAKE + unaligned", BASE + 1, PG, 3);
		W("unaligned + hole", BASE + 4 * PG + 1, PG, WPM_WP);
		W("len 0 + mode 4", BASE, 0, 4);
		W("start>=TASK_SIZE + mode 4", 0x800000000000UL, PG, 4);
		W("unregistered + WP vma (12..13 then nothing)", BASE + 12 * PG, 4 * PG, WPM_WP);
		W("unregistered(12) + other-uffd vma (16)", BASE + 12 * PG, 5 * PG, WPM_WP);
		pm("page16", BASE + 16 * PG);
		W("unprotect 16", BASE + 16 * PG, PG, 0);
		/* pointer faults */
		printf("[%s] -- pointer faults\n", WHO);
		{
			errno = 0; int r = ioctl(U, UFFDIO_WP_, NULL);
			printf("[%s] WP arg=NULL -> %d %s\n", WHO, r, r ? en(errno) : "-");
			struct uffdio_wp_ *ro = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			ro->range.start = BASE; ro->range.len = PG; ro->mode = WPM_WP;
			mprotect(ro, PG, PROT_READ);
			errno = 0; r = ioctl(U, UFFDIO_WP_, ro);
			printf("[%s] WP struct on read-only page -> %d %s\n", WHO, r, r ? en(errno) : "-");
			pm("page0", BASE);
			mprotect(ro, PG, PROT_READ | PROT_WRITE);
			/* struct straddling into an unmapped page: mode unreadable */
			char *two = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			munmap(two + PG, PG);
			struct uffdio_wp_ *st = (void *)(two + PG - 16);
			st->range.start = BASE + PG; st->range.len = PG;
			errno = 0; r = ioctl(U, UFFDIO_WP_, st);
			printf("[%s] WP struct with mode field unreadable -> %d %s\n", WHO, r, r ? en(errno) : "-");
			pm("page1", BASE + PG);
		}
		/* VMA split? */
		printf("[%s] -- VMA split?\n", WHO);
		W("protect page 7 only", BASE + 7 * PG, PG, WPM_WP);
		vmas("after protect page7", BASE + 6 * PG, BASE + 10 * PG);
		W("unprotect page 7", BASE + 7 * PG, PG, 0);
		close(U); close(U2);
		munmap((void *)BASE, 24 * PG);
	}
	/* WP on a WP-registered shmem VMA covering beyond EOF */
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both2("q01_wp_errors", body); return 0; }
