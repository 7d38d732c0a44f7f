using MmSim.Abi;

namespace MmSim;

/// <summary>
/// A task's capability sets (struct cred's cap_effective, cap_permitted and cap_inheritable), as 64-bit masks
/// of <see cref="Capability"/> bits. capable() looks at <see cref="Effective"/> only.
/// </summary>
public readonly record struct CapSets(ulong Effective, ulong Permitted, ulong Inheritable)
{
    /// <summary>No capability in any set: an ordinary user's process.</summary>
    public static CapSets None => default;

    /// <summary>
    /// What a program with file capabilities <c>cap_ipc_lock,cap_sys_rawio,cap_sys_ptrace=p</c> starts with:
    /// CAP_IPC_LOCK, CAP_SYS_RAWIO and CAP_SYS_PTRACE permitted, none effective. The process is unprivileged until it
    /// raises one with capset().
    /// CAP_SYS_RESOURCE, the third capability the model checks, is left out because the kernel runner cannot hold
    /// it where the machine's bounding set lacks it, as in containers like this project's CI.
    /// </summary>
    public static CapSets ModelPermitted => new(0,
        Capability.Bit(Capability.CAP_IPC_LOCK) | Capability.Bit(Capability.CAP_SYS_RAWIO) | Capability.Bit(Capability.CAP_SYS_PTRACE), 0);

    public bool HasEffective(int cap) => (Effective & Capability.Bit(cap)) != 0;
}

/// <summary>struct __user_cap_header_struct: the version of the data that follows, and the target pid (0 is the caller).</summary>
public readonly record struct CapUserHeader(uint Version, int Pid);
