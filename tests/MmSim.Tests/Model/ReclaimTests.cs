using MmSim.Abi;

namespace MmSim.Tests.Model;

/// <summary>
/// Reclaim under memory pressure: a 16 MiB machine, kswapd and direct reclaim before the OOM killer. Each case
/// mirrors one run on Linux 6.18 in a 16 MiB memory cgroup (a C program, taskset to one CPU; the figures are quoted
/// in each test and in docs/kernel-notes-swap.md). A memory cgroup reclaims at its limit where the machine reclaims
/// at its watermarks, so the cases compare outcomes — who survives, what stays resident, what the data reads — not
/// page counts.
/// </summary>
public class ReclaimTests
{
    private const ulong Base = 0x100000000000;
    private const ulong MiB = 1 << 20;
    private const int Rw = Prot.PROT_READ | Prot.PROT_WRITE;
    private const int PrivAnonFixed = Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_FIXED_NOREPLACE;
    // Where mincore() writes its vector: far from everything else.
    private const ulong Vec = 0x200000000000;

    private static Kernel Machine(ulong swap) => new(new KernelConfig { RamBytes = 16 * MiB, SwapBytes = swap });

    // MAP_NORESERVE: without swap, heuristic overcommit refuses a single mapping larger than the 16 MiB of RAM.
    private static void MapAnon(Process p, ulong addr, ulong len) =>
        Assert.Equal((long)addr, p.Mmap(addr, len, Rw, PrivAnonFixed | Map.MAP_NORESERVE, -1, 0));

    /// <summary>Writes page i of the range full of the byte (i % 251) + 1, page by page.</summary>
    private static void WritePattern(Process p, ulong addr, ulong len)
    {
        var page = new byte[4096];
        for (ulong i = 0; i < len / 4096; i++)
        {
            Array.Fill(page, (byte)(i % 251 + 1));
            var r = p.Store(addr + i * 4096, page);
            Assert.False(r.Faulted, $"page {i}: {r.Signal} at 0x{r.SiAddr:x}, oom kills {p.Kernel.OomKills}");
        }
    }

    private static int BadPages(Process p, ulong addr, ulong len)
    {
        var page = new byte[4096];
        int bad = 0;
        for (ulong i = 0; i < len / 4096; i++)
        {
            Assert.False(p.Load(addr + i * 4096, page).Faulted);
            if (page.AsSpan().IndexOfAnyExcept((byte)(i % 251 + 1)) >= 0)
                bad++;
        }
        return bad;
    }

    /// <summary>mincore(): the share of the range's pages resident.</summary>
    private static double Resident(Process p, ulong addr, ulong len)
    {
        int pages = (int)(len / 4096);
        if (p.Mm!.FindVma(Vec) is not { } vma || vma.Start > Vec)
            MapAnon(p, Vec, 64 << 10);
        Assert.Equal(0, p.Mincore(addr, len, Vec));
        var v = new byte[pages];
        Assert.False(p.Load(Vec, v).Faulted);
        return v.Count(b => (b & 1) != 0) / (double)pages;
    }

    private static long StatusKb(Process p, string field)
    {
        var line = p.ProcStatus().Split('\n').First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..^3].Trim());
    }

    [Fact]
    public void Anonymous_memory_larger_than_ram_goes_to_swap_and_reads_back_intact()
    {
        // 6.18, 16 MiB cgroup, 64 MiB swap: 24 MiB written survives with VmSwap 9216 kB; every page reads back right;
        // the first 8 MiB were swapped out (1% resident), the last 8 MiB resident.
        var k = Machine(64 * MiB);
        var p = k.Init;
        MapAnon(p, Base, 24 * MiB);
        WritePattern(p, Base, 24 * MiB);
        Assert.True(p.IsAlive);
        Assert.Equal(0, k.OomKills);
        Assert.InRange(StatusKb(p, "VmSwap"), 6 * 1024, 12 * 1024);
        Assert.True(k.VmStat.PswpOut > 0);
        Assert.True(k.VmStat.PgStealKswapd + k.VmStat.PgStealDirect > 0);
        Assert.True(k.VmStat.PageOutRun > 0);
        Assert.InRange(Resident(p, Base, 8 * MiB), 0, 0.05);
        Assert.InRange(Resident(p, Base + 16 * MiB, 8 * MiB), 0.95, 1);
        k.Validate();
        Assert.Equal(0, BadPages(p, Base, 24 * MiB));
        Assert.True(k.VmStat.PswpIn > 0);
        Assert.Equal(0, k.OomKills);
        k.Validate();
    }

    [Fact]
    public void Without_swap_anonymous_memory_larger_than_ram_meets_the_oom_killer()
    {
        // 6.18: killed by SIGKILL (exit 137), oom_kill 1; reclaim scans no anonymous list without swap.
        var k = Machine(0);
        var p = k.Init;
        MapAnon(p, Base, 24 * MiB);
        var r = p.Fill(Base, 24 * MiB, 1);
        Assert.Equal(Signal.SIGKILL, r.Signal);
        Assert.False(p.IsAlive);
        Assert.Equal(1, k.OomKills);
        Assert.Equal(0, k.VmStat.PgScanKswapd + k.VmStat.PgScanDirect);
        k.Validate();
    }

    [Fact]
    public void Without_swap_lazyfree_pages_are_discarded_before_the_oom_killer_runs()
    {
        // 6.18: 8 MiB written, MADV_FREE'd, then 12 MiB more written: survives; 1132 of the 2048 freed pages read as
        // zeros afterwards, pglazyfreed 1132, nothing swapped.
        var k = Machine(0);
        var p = k.Init;
        MapAnon(p, Base, 8 * MiB);
        Assert.False(p.Fill(Base, 8 * MiB, 7).Faulted);
        Assert.Equal(0, p.Madvise(Base, 8 * MiB, Madv.MADV_FREE));
        MapAnon(p, Base + 64 * MiB, 12 * MiB);
        Assert.False(p.Fill(Base + 64 * MiB, 12 * MiB, 9).Faulted);
        Assert.True(p.IsAlive);
        Assert.Equal(0, k.OomKills);
        int zero = 0;
        var b = new byte[1];
        for (ulong a = Base; a < Base + 8 * MiB; a += 4096)
        {
            Assert.False(p.Load(a, b).Faulted);
            if (b[0] == 0)
                zero++;
            else
                Assert.Equal(7, b[0]);
        }
        Assert.InRange(zero, 512, 2047);
        Assert.Equal(zero, k.VmStat.PgLazyFreed);
        Assert.Equal(0, k.VmStat.PswpOut);
        k.Validate();
    }

    [Fact]
    public void A_hot_working_set_stays_resident_while_a_stream_is_swapped_out()
    {
        // 6.18, 64 MiB swap: 2 MiB touched every 64 pages of a 32 MiB stream: the hot 2 MiB 100% resident, the stream's
        // first 8 MiB 0%, its last 8 MiB 100%; pgactivate +475 (the hot pages, referenced twice, activated).
        var k = Machine(64 * MiB);
        var p = k.Init;
        ulong hot = Base + 256 * MiB;
        MapAnon(p, hot, 2 * MiB);
        Assert.False(p.Fill(hot, 2 * MiB, 3).Faulted);
        MapAnon(p, Base, 32 * MiB);
        var page = new byte[4096];
        var one = new byte[1];
        for (ulong i = 0; i < 32 * MiB / 4096; i++)
        {
            Array.Fill(page, (byte)5);
            Assert.False(p.Store(Base + i * 4096, page).Faulted);
            if (i % 64 == 0)
            {
                for (ulong a = hot; a < hot + 2 * MiB; a += 4096)
                {
                    Assert.False(p.Load(a, one).Faulted);
                    one[0]++;
                    Assert.False(p.Store(a, one).Faulted);
                }
            }
        }
        Assert.InRange(Resident(p, hot, 2 * MiB), 0.95, 1);
        Assert.InRange(Resident(p, Base, 8 * MiB), 0, 0.05);
        Assert.InRange(Resident(p, Base + 24 * MiB, 8 * MiB), 0.95, 1);
        // The model reclaims as the machine's kswapd does, not as a cgroup at its limit: its first run finds every page
        // referenced once and scans the whole inactive list, so the hot pages (the oldest) come round twice and go out
        // once; touched again, they come back as refaults, active. The cgroup activated them instead.
        Assert.True(k.VmStat.PswpIn >= 512);
        k.Validate();
    }

    [Fact]
    public void Mlocked_memory_stays_resident_under_pressure_and_counts_against_what_is_left()
    {
        // 6.18: 4 MiB mlocked then 20 MiB written: with swap the locked 4 MiB stay 100% resident (the rest 57%);
        // without swap the process is OOM-killed.
        foreach (bool swap in new[] { true, false })
        {
            var k = Machine(swap ? 64 * MiB : 0);
            var p = k.Init;
            MapAnon(p, Base + 128 * MiB, 4 * MiB);
            Assert.Equal(0, p.Mlock(Base + 128 * MiB, 4 * MiB));
            MapAnon(p, Base, 20 * MiB);
            var r = p.Fill(Base, 20 * MiB, 2);
            if (swap)
            {
                Assert.False(r.Faulted);
                Assert.Equal(1, Resident(p, Base + 128 * MiB, 4 * MiB));
                Assert.InRange(Resident(p, Base, 20 * MiB), 0.3, 0.75);
            }
            else
            {
                Assert.Equal(Signal.SIGKILL, r.Signal);
                Assert.Equal(1, k.OomKills);
            }
            k.Validate();
        }
    }

    [Fact]
    public void A_memfd_larger_than_ram_is_swapped_and_reads_back_intact()
    {
        // 6.18: a 24 MiB memfd written through a shared mapping survives and reads back right; VmSwap stays ~0
        // (shmem swap is not the process's).
        var k = Machine(64 * MiB);
        var p = k.Init;
        int fd = (int)p.MemfdCreate("m", 0);
        Assert.Equal(0, p.Ftruncate(fd, (long)(24 * MiB)));
        Assert.Equal((long)Base, p.Mmap(Base, 24 * MiB, Rw, Map.MAP_SHARED | Map.MAP_FIXED_NOREPLACE, fd, 0));
        WritePattern(p, Base, 24 * MiB);
        Assert.Equal(0, k.OomKills);
        Assert.True(k.VmStat.PswpOut > 0);
        Assert.Equal(0, StatusKb(p, "VmSwap"));
        Assert.Equal(0, BadPages(p, Base, 24 * MiB));
        k.Validate();
    }

    [Fact]
    public void A_page_forked_then_swapped_by_reclaim_is_read_back_by_both_processes()
    {
        // Reclaim (unlike MADV_PAGEOUT) swaps out a page two processes map: both PTEs become entries of one slot. The
        // child's swap-in is not exclusive, so the folio takes the root anon_vma (__folio_set_anon()), the parent's,
        // where the parent's fault on the same entry finds it (found by the pressure property test).
        var k = Machine(64 * MiB);
        var p = k.Init;
        MapAnon(p, Base, 2 * MiB);
        WritePattern(p, Base, 2 * MiB);
        var c = k.FindProcess((int)p.Fork())!;
        MapAnon(p, Base + 64 * MiB, 24 * MiB);
        Assert.False(p.Fill(Base + 64 * MiB, 24 * MiB, 1).Faulted);
        Assert.InRange(Resident(c, Base, 2 * MiB), 0, 0.05);
        k.Validate();
        Assert.Equal(0, BadPages(c, Base, 2 * MiB));
        k.Validate();
        Assert.Equal(0, BadPages(p, Base, 2 * MiB));
        k.Validate();
    }

    [Fact]
    public void Reclaim_under_pressure_allocates_nothing_once_warm()
    {
        // 24 MiB of swap: the rounds below go round the whole device, so each slot's contents exist (the device
        // allocates them on first use, as RAM's frames are).
        var k = Machine(24 * MiB);
        var p = k.Init;
        MapAnon(p, Base, 24 * MiB);
        int fd = (int)p.MemfdCreate("m", 0);
        Assert.Equal(0, p.Ftruncate(fd, (long)(8 * MiB)));
        Assert.Equal((long)(Base + 64 * MiB), p.Mmap(Base + 64 * MiB, 8 * MiB, Rw, Map.MAP_SHARED | Map.MAP_FIXED_NOREPLACE, fd, 0));
        // Warm: every swap slot the second round uses has had its contents allocated once.
        for (int round = 0; round < 4; round++)
        {
            Assert.False(p.Fill(Base, 24 * MiB, 1).Faulted);
            Assert.False(p.Fill(Base + 64 * MiB, 8 * MiB, 2).Faulted);
            Assert.Equal(0, p.Madvise(Base, 24 * MiB, Madv.MADV_DONTNEED));
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        long stolen = k.VmStat.PgStealKswapd + k.VmStat.PgStealDirect;
        Assert.False(p.Fill(Base, 24 * MiB, 3).Faulted);
        long mid = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.False(p.Fill(Base + 64 * MiB, 8 * MiB, 4).Faulted);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, mid);
        Assert.True(k.VmStat.PgStealKswapd + k.VmStat.PgStealDirect - stolen > 4000);
        Assert.Equal(0, allocated);
        k.Validate();
    }

    [Fact]
    public void Kswapd_wakes_below_the_low_watermark_and_stops_above_the_high_one()
    {
        var k = Machine(64 * MiB);
        var phys = k.Phys;
        // 16 MiB: min_free_kbytes = sqrt(16384 × 16) = 512 KiB, 128 pages; the steps are max(128/4, 4096 × 10/10000) = 32.
        Assert.Equal((128, 160, 192), (phys.WmarkMin, phys.WmarkLow, phys.WmarkHigh));
        var p = k.Init;
        MapAnon(p, Base, 32 * MiB);
        ulong a = Base;
        while (phys.FreeFrames > phys.WmarkLow + 1)
        {
            Assert.False(p.Fill(a, 4096, 1).Faulted);
            a += 4096;
        }
        Assert.Equal(0, k.VmStat.PageOutRun);
        // The next allocation finds only the low watermark free: kswapd runs. Every page it scans was touched once
        // (a young PTE from its fault), so it keeps them all for a second look (PG_referenced set, the PTE made old)
        // and reclaims nothing this time; the allocation digs into the reserve above the min watermark.
        Assert.False(p.Fill(a, 8192, 1).Faulted);
        a += 8192;
        Assert.Equal(1, k.VmStat.PageOutRun);
        Assert.Equal(0, k.VmStat.PgStealKswapd);
        Assert.True(k.VmStat.PgScanKswapd > 0);
        Assert.True(phys.FreeFrames <= phys.WmarkLow);
        // Woken again, it swaps the unreferenced pages out and frees them once written, until above the high one.
        Assert.False(p.Fill(a, 4096, 1).Faulted);
        Assert.Equal(2, k.VmStat.PageOutRun);
        Assert.True(k.VmStat.PswpOut > 0);
        Assert.True(phys.FreeFrames >= phys.WmarkHigh, $"{phys.FreeFrames} free, steal {k.VmStat.PgStealKswapd}, scan {k.VmStat.PgScanKswapd}, out {k.VmStat.PswpOut}");
        Assert.Equal(0, k.VmStat.AllocStall);
        k.Validate();
    }

    [Fact]
    public void Swappiness_and_the_watermarks_are_sysctls()
    {
        var k = Machine(0);
        Assert.Equal(0, k.Sysctl("vm.swappiness", 200));
        Assert.Equal(-(long)Errno.EINVAL, k.Sysctl("vm.swappiness", 201));
        Assert.Equal(0, k.Sysctl("vm.min_free_kbytes", 1024));
        Assert.Equal(256, k.Phys.WmarkMin);
        Assert.Equal(0, k.Sysctl("vm.watermark_scale_factor", 1000));
        // max(256/4, 4096 × 1000/10000 = 409)
        Assert.Equal((256 + 409, 256 + 818), (k.Phys.WmarkLow, k.Phys.WmarkHigh));
        Assert.Equal(-(long)Errno.EINVAL, k.Sysctl("vm.watermark_scale_factor", 0));
    }
}
