using MmSim.Abi;

namespace MmSim.Tests.Model;

/// <summary>capget/capset rules that a scenario cannot reach on the kernel runner (whose process holds only two
/// capabilities), and the checks each capability lifts.</summary>
public class CapabilityTests
{
    private static readonly CapUserHeader s_v3 = new(Capability._LINUX_CAPABILITY_VERSION_3, 0);
    private static readonly ulong s_ipcLock = Capability.Bit(Capability.CAP_IPC_LOCK);
    private static readonly ulong s_setpcap = Capability.Bit(Capability.CAP_SETPCAP);
    private static readonly ulong s_sysResource = Capability.Bit(Capability.CAP_SYS_RESOURCE);
    private static readonly ulong s_sysAdmin = Capability.Bit(Capability.CAP_SYS_ADMIN);

    [Fact]
    public void The_first_process_has_the_configured_sets_and_a_child_inherits_them()
    {
        var caps = new CapSets(s_ipcLock, s_ipcLock | s_sysAdmin, 0);
        var k = new Kernel(new KernelConfig { InitialCapabilities = caps });
        Assert.Equal(caps, k.Init.Capabilities);
        Assert.True(k.Init.HasCapIpcLock);
        var child = k.FindProcess((int)k.Init.Fork())!;
        Assert.Equal(caps, child.Capabilities);
        Assert.Contains("CapPrm:\t0000000000204000\nCapEff:\t0000000000004000\n", child.ProcStatus());
    }

    [Fact]
    public void With_CAP_SETPCAP_the_inheritable_set_may_go_beyond_the_permitted_set()
    {
        var p = new Kernel(new KernelConfig { InitialCapabilities = new CapSets(0, s_setpcap, 0) }).Init;
        Assert.Equal(-(long)Errno.EPERM, p.Capset(s_v3, new CapSets(0, s_setpcap, s_sysAdmin)));
        Assert.Equal(0, p.Capset(s_v3, new CapSets(s_setpcap, s_setpcap, 0)));
        Assert.Equal(0, p.Capset(s_v3, new CapSets(s_setpcap, s_setpcap, s_sysAdmin)));
        Assert.Equal(new CapSets(s_setpcap, s_setpcap, s_sysAdmin), p.Capabilities);
        // an inheritable bit once held may be kept without CAP_SETPCAP
        Assert.Equal(0, p.Capset(s_v3, new CapSets(0, 0, s_sysAdmin)));
        Assert.Equal(-(long)Errno.EPERM, p.Capset(s_v3, new CapSets(0, 0, s_sysAdmin | s_ipcLock)));
    }

    [Fact]
    public void A_version_1_header_clears_the_high_words()
    {
        var high = Capability.Bit(Capability.CAP_BPF);
        var p = new Kernel(new KernelConfig { InitialCapabilities = new CapSets(high, high | s_ipcLock, 0) }).Init;
        Assert.Equal(0, p.Capget(new CapUserHeader(Capability._LINUX_CAPABILITY_VERSION_1, 0), wantData: true, out var v1));
        Assert.Equal(new CapSets(0, s_ipcLock, 0), v1);
        Assert.Equal(0, p.Capset(new CapUserHeader(Capability._LINUX_CAPABILITY_VERSION_1, 0), new CapSets(high, high | s_ipcLock, 0)));
        Assert.Equal(new CapSets(0, s_ipcLock, 0), p.Capabilities);
    }

    [Fact]
    public void CAP_SYS_RESOURCE_raises_hard_limits()
    {
        var p = new Kernel(new KernelConfig { InitialCapabilities = new CapSets(0, s_sysResource, 0) }).Init;
        var raised = new RLimit(64UL << 20, 64UL << 20);
        Assert.Equal(-(long)Errno.EPERM, p.Setrlimit(Rlimit.RLIMIT_MEMLOCK, raised));
        Assert.Equal(0, p.Capset(s_v3, new CapSets(s_sysResource, s_sysResource, 0)));
        Assert.Equal(0, p.Setrlimit(Rlimit.RLIMIT_MEMLOCK, raised));
        Assert.Equal(0, p.Getrlimit(Rlimit.RLIMIT_MEMLOCK, out var now));
        Assert.Equal(raised, now);
    }

    /// <summary>mlockall(MCL_CURRENT) beyond RLIMIT_MEMLOCK: ENOMEM without CAP_IPC_LOCK, and everything locked with it.
    /// (The kernel runner cannot show this one: it would lock its own libc.)</summary>
    [Fact]
    public void CAP_IPC_LOCK_lets_mlockall_MCL_CURRENT_go_beyond_the_limit()
    {
        var k = new Kernel();
        var p = k.Init;
        const ulong Base = 0x100000000000;
        Assert.Equal((long)Base, p.Mmap(Base, 64UL << 10, Prot.PROT_READ | Prot.PROT_WRITE,
            Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_FIXED_NOREPLACE, -1, 0));
        Assert.Equal(0, p.Setrlimit(Rlimit.RLIMIT_MEMLOCK, new RLimit(0, 8UL << 20)));
        Assert.Equal(-(long)Errno.EPERM, p.Mlockall(Mlock.MCL_CURRENT));
        Assert.Equal(0, p.Setrlimit(Rlimit.RLIMIT_MEMLOCK, new RLimit(16UL << 10, 8UL << 20)));
        Assert.Equal(-(long)Errno.ENOMEM, p.Mlockall(Mlock.MCL_CURRENT));
        Assert.Equal(0, p.Capset(s_v3, new CapSets(s_ipcLock, CapSets.ModelPermitted.Permitted, 0)));
        Assert.Equal(0, p.Mlockall(Mlock.MCL_CURRENT));
        Assert.Contains("VmLck:\t     196 kB\n", p.ProcStatus()); // the 64 KiB mapping and the 132 KiB stack
        Assert.Matches(@"\nMlocked:\s+196 kB\n", k.ProcMeminfo()); // populated: every page of both
        k.Validate();
    }

    [Fact]
    public void SetCapabilities_drops_bits_past_CAP_LAST_CAP()
    {
        var p = new Kernel().Init;
        p.SetCapabilities(new CapSets(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue));
        Assert.Equal(new CapSets(Capability.CAP_VALID_MASK, Capability.CAP_VALID_MASK, Capability.CAP_VALID_MASK), p.Capabilities);
    }
}
