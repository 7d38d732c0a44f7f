namespace MmSim.Mm;

/// <summary>vm_flags_t, with Linux 6.18's bit positions (include/linux/mm.h) and names.</summary>
[Flags]
public enum VmFlags : ulong
{
    None = 0,
    Read = 0x00000001,
    Write = 0x00000002,
    Exec = 0x00000004,
    Shared = 0x00000008,
    MayRead = 0x00000010,
    MayWrite = 0x00000020,
    MayExec = 0x00000040,
    MayShare = 0x00000080,
    GrowsDown = 0x00000100,
    UffdMissing = 0x00000200,
    PfnMap = 0x00000400,
    /// <summary>VM_MAYBE_GUARD: MADV_GUARD_INSTALL was applied to the VMA (it may hold guard markers). Sticky.</summary>
    MaybeGuard = 0x00000800,
    UffdWp = 0x00001000,
    Locked = 0x00002000,
    Io = 0x00004000,
    SeqRead = 0x00008000,
    RandRead = 0x00010000,
    DontCopy = 0x00020000,
    DontExpand = 0x00040000,
    LockOnFault = 0x00080000,
    Account = 0x00100000,
    NoReserve = 0x00200000,
    HugeTlb = 0x00400000,
    Sync = 0x00800000,
    Arch1 = 0x01000000,
    WipeOnFork = 0x02000000,
    DontDump = 0x04000000,
    SoftDirty = 0x08000000,
    MixedMap = 0x10000000,
    HugePage = 0x20000000,
    NoHugePage = 0x40000000,
    Mergeable = 0x80000000,
    /// <summary>VM_UFFD_MINOR (VM_HIGH_ARCH_BIT_9 on 64-bit): registered for userfaultfd minor faults.</summary>
    UffdMinor = 1UL << 41,

    /// <summary>VM_SPECIAL: mappings that are never merged and never expanded (VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP).</summary>
    Special = Io | DontExpand | PfnMap | MixedMap,
    /// <summary>
    /// VM_STICKY: flags that once set stay set. A merge ignores them (VM_IGNORE_MERGE) and the merged VMA has the
    /// union of the merged VMAs'; a split or copy keeps them.
    /// </summary>
    Sticky = SoftDirty | MaybeGuard,
    /// <summary>__VM_UFFD_FLAGS: the userfaultfd registration modes a VMA can carry.</summary>
    UffdFlags = UffdMissing | UffdWp | UffdMinor,
    /// <summary>VM_ACCESS_FLAGS.</summary>
    AccessFlags = Read | Write | Exec,
    /// <summary>VM_LOCKED_MASK.</summary>
    LockedMask = Locked | LockOnFault,
    /// <summary>VM_STACK_DEFAULT_FLAGS on x86-64 (VM_DATA_DEFAULT_FLAGS: VM_DATA_FLAGS_TSK_EXEC without READ_IMPLIES_EXEC).</summary>
    DataDefault = Read | Write | MayRead | MayWrite | MayExec,
    /// <summary>VM_STACK_FLAGS: the initial stack.</summary>
    StackFlags = GrowsDown | DataDefault | Account,
}

internal static class VmFlagsText
{
    // show_smap_vma_flags()'s mnemonics, indexed by bit number; printed in bit order.
    private static readonly string?[] s_mnemonics = BuildMnemonics();

    private static string?[] BuildMnemonics()
    {
        var m = new string?[64];
        m[0] = "rd"; m[1] = "wr"; m[2] = "ex"; m[3] = "sh"; m[4] = "mr"; m[5] = "mw"; m[6] = "me"; m[7] = "ms";
        m[8] = "gd"; m[9] = "um"; m[10] = "pf"; m[11] = "gu"; m[12] = "uw"; m[13] = "lo"; m[14] = "io"; m[15] = "sr";
        m[16] = "rr"; m[17] = "dc"; m[18] = "de"; m[19] = "lf"; m[20] = "ac"; m[21] = "nr"; m[22] = "ht";
        m[23] = "sf"; m[24] = "ar"; m[25] = "wf"; m[26] = "dd"; m[27] = "sd"; m[28] = "mm"; m[29] = "hg";
        m[30] = "nh"; m[31] = "mg"; m[41] = "ui";
        return m;
    }

    /// <summary>The VmFlags line's value including its trailing space, e.g. "rd wr mr mw me ac ".</summary>
    public static string Mnemonics(VmFlags flags)
    {
        var sb = new System.Text.StringBuilder(64);
        ulong f = (ulong)flags;
        for (int bit = 0; bit < 64; bit++)
        {
            if ((f & (1UL << bit)) != 0 && s_mnemonics[bit] is { } name)
                sb.Append(name).Append(' ');
        }
        return sb.ToString();
    }
}
