using MmSim.Abi;

namespace MmSim.Tests.Model;

/// <summary>
/// Swap behaviours the golden files cannot show on the kernel: swap readahead's window is machine-wide state there
/// (swapin_nr_pages()), so the goldens turn readahead off; here the model's window is checked against mm/swap_state.c.
/// </summary>
public class SwapTests
{
    private const ulong Base = 0x100000000000;
    private const int Rw = Prot.PROT_READ | Prot.PROT_WRITE;
    private const int PrivAnonFixed = Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_FIXED_NOREPLACE;

    /// <summary>16 nonzero pages swapped out, and out of the swap cache: slots 1 to 16, none cached.</summary>
    private static Process SwappedOut(Kernel k)
    {
        var p = k.Init;
        Assert.Equal((long)Vec, p.Mmap(Vec, 4096, Rw, PrivAnonFixed, -1, 0));
        Assert.Equal((long)Base, p.Mmap(Base, 64 << 10, Rw, PrivAnonFixed, -1, 0));
        Assert.False(p.Fill(Base, 64 << 10, 0x5a).Faulted);
        Assert.Equal(0, p.Madvise(Base, 64 << 10, Madv.MADV_PAGEOUT));
        // Written and still in the swap cache; mapped again clean, then paged out again: now only in the slots.
        Assert.Equal(0, p.Madvise(Base, 64 << 10, Madv.MADV_POPULATE_READ));
        Assert.Equal(0, p.Madvise(Base, 64 << 10, Madv.MADV_PAGEOUT));
        Assert.Equal(16, Resident(p).Count(r => r == 0));
        k.Validate();
        return p;
    }

    // Where mincore() writes its vector.
    private const ulong Vec = Base + (1UL << 20);

    private static byte[] Resident(Process p)
    {
        Assert.Equal(0, p.Mincore(Base, 64 << 10, Vec));
        var v = new byte[16];
        Assert.False(p.Load(Vec, v).Faulted);
        return v;
    }

    [Fact]
    public void Readahead_window_grows_with_hits_as_swapin_nr_pages_computes_it()
    {
        var k = new Kernel(new KernelConfig { SwapBytes = 4 << 20 });
        var p = SwappedOut(k);
        var buf = new byte[1];

        // Slot 1, right after slot 0 (the state starts at offset 0): two pages' window, aligned, slot 0 is the header.
        Assert.False(p.Load(Base, buf).Faulted);
        Assert.Equal(0, k.VmStat.SwapRa);
        Assert.Equal(1, k.VmStat.PgMajFault);
        // Slot 2, next to slot 1: the window [2, 3] reads slot 3 ahead.
        Assert.False(p.Load(Base + 4096, buf).Faulted);
        Assert.Equal(1, k.VmStat.SwapRa);
        Assert.Equal(new byte[] { 1, 1, 1, 0 }, Resident(p)[..4]);
        // Slot 3 is a hit: no major fault.
        Assert.False(p.Load(Base + 8192, buf).Faulted);
        Assert.Equal(2, k.VmStat.PgMajFault);
        Assert.Equal(1, k.VmStat.SwapRaHit);
        // One hit: hits + 2 rounded up to 4, the window [4, 7].
        Assert.False(p.Load(Base + 3 * 4096, buf).Faulted);
        Assert.Equal(4, k.VmStat.SwapRa);
        Assert.Equal(new byte[] { 1, 1, 1, 1, 1, 1, 1, 0 }, Resident(p)[..8]);
        Assert.Equal(0x5a, buf[0]);
        k.Validate();
    }

    [Fact]
    public void Page_cluster_zero_reads_only_the_faulting_slot()
    {
        var k = new Kernel(new KernelConfig { SwapBytes = 4 << 20 });
        Assert.Equal(0, k.Sysctl("vm.page-cluster", 0));
        var p = SwappedOut(k);
        var buf = new byte[1];
        for (ulong i = 0; i < 4; i++)
            Assert.False(p.Load(Base + i * 4096, buf).Faulted);
        Assert.Equal(0, k.VmStat.SwapRa);
        Assert.Equal(4, k.VmStat.PgMajFault);
        Assert.Equal(new byte[] { 1, 1, 1, 1, 0 }, Resident(p)[..5]);
        k.Validate();
    }

    [Fact]
    public void Swapon_and_sysctl_refuse_what_the_kernel_refuses()
    {
        var k = new Kernel();
        Assert.Equal(-(long)Errno.EINVAL, k.Swapon(9 * 4096));
        Assert.Equal(0, k.Swapon(10 * 4096));
        Assert.Equal(-(long)Errno.EINVAL, k.Sysctl("vm.page-cluster", -1));
        Assert.Equal(-(long)Errno.ENOENT, k.Sysctl("vm.nonesuch", 0));
        Assert.Throws<ArgumentException>(() => new Kernel(new KernelConfig { SwapBytes = 4096 }));
    }

    [Fact]
    public void Without_a_free_slot_pageout_keeps_the_pages()
    {
        // 10 pages of swap file: 9 slots.
        var k = new Kernel(new KernelConfig { SwapBytes = 10 * 4096 });
        var p = k.Init;
        Assert.Equal((long)Base, p.Mmap(Base, 64 << 10, Rw, PrivAnonFixed, -1, 0));
        Assert.False(p.Fill(Base, 64 << 10, 1).Faulted);
        Assert.Equal(0, p.Madvise(Base, 64 << 10, Madv.MADV_PAGEOUT));
        Assert.Contains("VmSwap:\t      36 kB", p.ProcStatus());
        Assert.Contains("SwapFree:              0 kB", k.ProcMeminfo());
        var data = new byte[64 << 10];
        Assert.False(p.Load(Base, data).Faulted);
        Assert.All(data, b => Assert.Equal(1, b));
        k.Validate();
    }

    /// <summary>
    /// process_madvise(MADV_PAGEOUT) of another process, by one holding CAP_SYS_NICE and CAP_SYS_PTRACE in its effective
    /// set (the kernel runner's processes cannot hold CAP_SYS_NICE, so this is the model's alone): the target's pages
    /// mapped only there go to swap; those it shares with the caller by fork stay.
    /// </summary>
    [Fact]
    public void Remote_pageout_with_cap_sys_nice_swaps_out_the_targets_pages()
    {
        ulong caps = Capability.Bit(Capability.CAP_SYS_NICE) | Capability.Bit(Capability.CAP_SYS_PTRACE);
        var k = new Kernel(new KernelConfig { SwapBytes = 4 << 20, InitialCapabilities = new CapSets(caps, caps, 0) });
        var p = k.Init;
        Assert.Equal((long)Base, p.Mmap(Base, 32 << 10, Rw, PrivAnonFixed, -1, 0));
        Assert.False(p.Fill(Base, 16 << 10, 7).Faulted);
        long child = p.Fork();
        var c = k.FindProcess((int)child)!;
        // The child's own copies of the second half; the first half stays shared with the parent.
        Assert.False(c.Fill(Base + (16 << 10), 16 << 10, 9).Faulted);
        int pidfd = (int)p.PidfdOpen(c.Pid, 0);
        Assert.True(pidfd >= 0);
        var iov = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(iov, Base);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(iov.AsSpan(8), 32 << 10);
        Assert.Equal(32 << 10, p.ProcessMadvise(pidfd, UserPtr.Of(iov), 1, Madv.MADV_PAGEOUT, 0));
        Assert.Contains("VmSwap:\t      16 kB", c.ProcStatus());
        Assert.Contains("VmSwap:\t       0 kB", p.ProcStatus());
        var data = new byte[32 << 10];
        Assert.False(c.Load(Base, data).Faulted);
        Assert.All(data.AsSpan(0, 16 << 10).ToArray(), b => Assert.Equal(7, b));
        Assert.All(data.AsSpan(16 << 10).ToArray(), b => Assert.Equal(9, b));
        k.Validate();
    }
}
