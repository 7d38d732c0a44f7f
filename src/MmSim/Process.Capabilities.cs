using MmSim.Abi;

namespace MmSim;

// capget(2) and capset(2), after kernel/capability.c and security/commoncap.c cap_capset(). Ambient capabilities
// and the bounding set are not modelled beyond their effect here: the ambient set is always empty and the
// bounding set holds every valid capability.
public sealed partial class Process
{
    /// <summary>Sets every task's capability sets without capset()'s checks, as if the program had started with them.</summary>
    public void SetCapabilities(CapSets caps)
    {
        var sets = new CapSets(
            caps.Effective & Capability.CAP_VALID_MASK,
            caps.Permitted & Capability.CAP_VALID_MASK,
            caps.Inheritable & Capability.CAP_VALID_MASK);
        Leader.Capabilities = sets;
        foreach (var task in _tasks)
            task.Capabilities = sets;
    }

    /// <summary>
    /// capget(2). <paramref name="header"/> null is a NULL header pointer; <paramref name="wantData"/> false is a
    /// NULL data pointer, which only probes the version: an unknown version then returns 0, as Linux does (Linux
    /// also writes its preferred version into the header, which a by-value header cannot show). A version 1
    /// header gets the low 32 bits of each set only.
    /// </summary>
    public long Capget(CapUserHeader? header, bool wantData, out CapSets data)
    {
        data = default;
        if (header is not { } h)
            return Err(Errno.EFAULT);
        var ret = ValidateCapVersion(h.Version, out var words);
        if (!wantData || ret != 0)
            return !wantData && ret == -(long)Errno.EINVAL ? 0 : ret;
        if (h.Pid < 0)
            return Err(Errno.EINVAL);
        // Credentials are per task: pid names a thread (its tid), 0 the caller.
        var target = h.Pid == 0 ? Current : Kernel.FindTask(h.Pid);
        if (target is null || !target.Process.IsAlive)
            return Err(Errno.ESRCH);
        var sets = target.Capabilities;
        data = words == 1
            ? new CapSets((uint)sets.Effective, (uint)sets.Permitted, (uint)sets.Inheritable)
            : sets;
        return 0;
    }

    /// <summary>
    /// capset(2) on the calling task (pid 0 or its own tid; any other, its process's pid included, is EPERM). <paramref name="data"/> null is a NULL
    /// data pointer (EFAULT). A version 1 header passes the low 32 bits of each set, so the high ones become 0;
    /// bits past CAP_LAST_CAP are dropped. cap_capset()'s rules, each EPERM: the new inheritable set within the old
    /// inheritable and permitted sets unless CAP_SETPCAP is effective (and within the bounding set, which holds them all), the new
    /// permitted set within the old one, the new effective set within the new permitted one.
    /// </summary>
    public long Capset(CapUserHeader? header, CapSets? data)
    {
        if (header is not { } h)
            return Err(Errno.EFAULT);
        var ret = ValidateCapVersion(h.Version, out var words);
        if (ret != 0)
            return ret;
        if (h.Pid != 0 && h.Pid != Current.Tid)
            return Err(Errno.EPERM);
        if (data is not { } d)
            return Err(Errno.EFAULT);
        var mask = (words == 1 ? uint.MaxValue : ulong.MaxValue) & Capability.CAP_VALID_MASK;
        ulong effective = d.Effective & mask, permitted = d.Permitted & mask, inheritable = d.Inheritable & mask;

        var old = Capabilities;
        if (!old.HasEffective(Capability.CAP_SETPCAP) && !IsSubset(inheritable, old.Inheritable | old.Permitted))
            return Err(Errno.EPERM);
        if (!IsSubset(permitted, old.Permitted))
            return Err(Errno.EPERM);
        if (!IsSubset(effective, permitted))
            return Err(Errno.EPERM);
        Current.Capabilities = new CapSets(effective, permitted, inheritable);
        return 0;
    }

    /// <summary>cap_validate_magic(): the number of 32-bit words per set that the version copies, or EINVAL.</summary>
    private static long ValidateCapVersion(uint version, out int words)
    {
        words = version switch
        {
            Capability._LINUX_CAPABILITY_VERSION_1 => 1,
            Capability._LINUX_CAPABILITY_VERSION_2 or Capability._LINUX_CAPABILITY_VERSION_3 => 2,
            _ => 0,
        };
        return words == 0 ? Err(Errno.EINVAL) : 0;
    }

    private static bool IsSubset(ulong set, ulong of) => (set & ~of) == 0;
}
