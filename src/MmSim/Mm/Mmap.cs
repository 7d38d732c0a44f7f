using MmSim.Abi;

namespace MmSim.Mm;

// mmap, mirroring do_mmap() in mm/mmap.c, __get_unmapped_area() and x86's arch_get_unmapped_area_topdown(),
// and __mmap_region() in mm/vma.c.
internal sealed partial class MmStruct
{
    /// <summary>calc_vm_prot_bits().</summary>
    public static VmFlags CalcVmProtBits(int prot) =>
        ((prot & Prot.PROT_READ) != 0 ? VmFlags.Read : 0)
        | ((prot & Prot.PROT_WRITE) != 0 ? VmFlags.Write : 0)
        | ((prot & Prot.PROT_EXEC) != 0 ? VmFlags.Exec : 0);

    /// <summary>calc_vm_flag_bits(): MAP_STACK means no huge pages.</summary>
    private static VmFlags CalcVmFlagBits(int flags) =>
        ((flags & Map.MAP_GROWSDOWN) != 0 ? VmFlags.GrowsDown : 0)
        | ((flags & Map.MAP_LOCKED) != 0 ? VmFlags.Locked : 0)
        | ((flags & Map.MAP_SYNC) != 0 ? VmFlags.Sync : 0)
        | ((flags & Map.MAP_STACK) != 0 ? VmFlags.NoHugePage : 0);

    /// <summary>
    /// do_mmap(). <paramref name="file"/> is null for MAP_ANONYMOUS. Returns the address or -errno;
    /// <paramref name="populate"/> is the length mm_populate() must fault in afterwards.
    /// </summary>
    public long DoMmap(OpenFile? file, ulong addr, ulong len, int prot, int flags, ulong pgoff, out ulong populate)
    {
        populate = 0;
        if (len == 0)
            return -(long)Errno.EINVAL;
        if ((flags & Map.MAP_FIXED_NOREPLACE) != 0)
            flags |= Map.MAP_FIXED;
        if ((flags & Map.MAP_FIXED) == 0)
            addr = RoundHintToMin(addr);
        len = PageAlign(len);
        if (len == 0)
            return -(long)Errno.ENOMEM;
        if (pgoff + (len >> PageShift) < pgoff)
            return -(long)Errno.EOVERFLOW;
        if (MapCount > Kernel.Config.MaxMapCount)
            return -(long)Errno.ENOMEM;

        var vmFlags = CalcVmProtBits(prot) | CalcVmFlagBits(flags) | DefFlags
            | VmFlags.MayRead | VmFlags.MayWrite | VmFlags.MayExec;

        long area = GetUnmappedArea(file?.File, addr, len, pgoff, flags, vmFlags);
        if (ErrnoInfo.IsError(area))
            return area;
        addr = (ulong)area;

        if ((flags & Map.MAP_FIXED_NOREPLACE) != 0 && FindVmaIntersection(addr, addr + len) is not null)
            return -(long)Errno.EEXIST;
        if ((flags & Map.MAP_LOCKED) != 0 && !Owner.CanDoMlock())
            return -(long)Errno.EPERM;
        if (!MlockFutureOk(vmFlags, len))
            return -(long)Errno.EAGAIN;

        if (file is not null)
        {
            // shmem: every file here is a memfd opened O_RDWR, so FMODE_READ|FMODE_WRITE and exec allowed.
            if (!FileMmapOk(pgoff, len))
                return -(long)Errno.EOVERFLOW;
            // A pidfd is opened O_RDWR and has no mmap method.
            if (file.Pidfd is not null)
                return -(long)Errno.ENODEV;
            // A userfaultfd is opened O_RDONLY and has no mmap method.
            if (file.Uffd is not null)
            {
                bool sharedWrite = (flags & Map.MAP_TYPE) is Map.MAP_SHARED or Map.MAP_SHARED_VALIDATE && (prot & Prot.PROT_WRITE) != 0;
                return -(long)(sharedWrite ? Errno.EACCES : Errno.ENODEV);
            }
            switch (flags & Map.MAP_TYPE)
            {
                case Map.MAP_SHARED:
                case Map.MAP_SHARED_VALIDATE:
                    if ((flags & Map.MAP_TYPE) == Map.MAP_SHARED)
                        flags &= Map.LEGACY_MAP_MASK;
                    if ((flags & ~Map.LEGACY_MAP_MASK) != 0)
                        return -(long)Errno.EOPNOTSUPP;
                    vmFlags |= VmFlags.Shared | VmFlags.MayShare;
                    goto case Map.MAP_PRIVATE;
                case Map.MAP_PRIVATE:
                    if ((vmFlags & VmFlags.GrowsDown) != 0)
                        return -(long)Errno.EINVAL;
                    break;
                default:
                    return -(long)Errno.EINVAL;
            }
        }
        else
        {
            switch (flags & Map.MAP_TYPE)
            {
                case Map.MAP_SHARED:
                    if ((vmFlags & VmFlags.GrowsDown) != 0)
                        return -(long)Errno.EINVAL;
                    pgoff = 0;
                    vmFlags |= VmFlags.Shared | VmFlags.MayShare;
                    break;
                case Map.MAP_PRIVATE:
                    // pgoff from addr, so anon_vma page indices line up across merges.
                    pgoff = addr >> PageShift;
                    break;
                default:
                    return -(long)Errno.EINVAL;
            }
        }

        if ((flags & Map.MAP_NORESERVE) != 0 && Kernel.Config.OvercommitMemory != 2)
            vmFlags |= VmFlags.NoReserve;

        long ret = MmapRegion(file?.File, addr, len, vmFlags, pgoff);
        if (!ErrnoInfo.IsError(ret)
            && ((vmFlags & VmFlags.Locked) != 0 || (flags & (Map.MAP_POPULATE | Map.MAP_NONBLOCK)) == Map.MAP_POPULATE))
            populate = len;
        return ret;
    }

    /// <summary>round_hint_to_min(): a hint below mmap_min_addr is rounded up to it.</summary>
    private ulong RoundHintToMin(ulong hint)
    {
        hint &= ~(PageSize - 1);
        if (hint != 0 && hint < MmapMinAddr)
            return MmapMinAddr;
        return hint;
    }

    /// <summary>file_mmap_ok() for shmem (MAX_LFS_FILESIZE).</summary>
    private static bool FileMmapOk(ulong pgoff, ulong len)
    {
        const ulong maxSize = long.MaxValue;
        if (len > maxSize)
            return false;
        ulong maxpg = (maxSize - len) >> PageShift;
        return pgoff <= maxpg;
    }

    /// <summary>may_expand_vm(): RLIMIT_AS, and RLIMIT_DATA for private writable mappings.</summary>
    public bool MayExpandVm(VmFlags flags, long npages)
    {
        var @as = Owner.GetRlimit(Rlimit.RLIMIT_AS);
        if ((ulong)(TotalVm + npages) > (@as.Cur >> PageShift))
            return false;
        var data = Owner.GetRlimit(Rlimit.RLIMIT_DATA);
        if (IsDataMapping(flags) && (ulong)(DataVm + npages) > (data.Cur >> PageShift))
        {
            // Workaround for Valgrind in the kernel: a zero soft limit is ignored up to the hard one.
            if (data.Cur == 0 && (ulong)(DataVm + npages) <= (data.Max >> PageShift))
                return true;
            return false;
        }
        return true;
    }

    /// <summary>mlock_future_ok(): a VM_LOCKED mapping must fit RLIMIT_MEMLOCK unless CAP_IPC_LOCK.</summary>
    public bool MlockFutureOk(VmFlags flags, ulong bytes)
    {
        if ((flags & VmFlags.Locked) == 0 || Owner.HasCapIpcLock)
            return true;
        ulong locked = (ulong)LockedVm + (bytes >> PageShift);
        ulong limit = Owner.GetRlimit(Rlimit.RLIMIT_MEMLOCK).Cur >> PageShift;
        return locked <= limit;
    }

    /// <summary>__get_unmapped_area() with x86-64's arch_get_unmapped_area_topdown().</summary>
    public long GetUnmappedArea(ShmemFile? file, ulong addr, ulong len, ulong pgoff, int flags, VmFlags vmFlags)
    {
        if (len > TaskSize)
            return -(long)Errno.ENOMEM;
        long ret;
        if (file is null && (flags & Map.MAP_SHARED) == 0 && addr == 0 && (len & (PageTables.PmdSize - 1)) == 0
            && (flags & Map.MAP_FIXED) == 0)
        {
            // Large anonymous mappings are placed THP-aligned (thp_get_unmapped_area_vmflags()).
            ret = ThpGetUnmappedArea(addr, len, flags);
        }
        else
        {
            ret = ArchGetUnmappedAreaTopdown(addr, len, flags);
        }
        if (ErrnoInfo.IsError(ret))
            return ret;
        if ((ulong)ret > TaskSize - len)
            return -(long)Errno.ENOMEM;
        if (((ulong)ret & (PageSize - 1)) != 0)
            return -(long)Errno.EINVAL;
        // security_mmap_addr(): cap_mmap_addr() keeps unprivileged mappings at or above vm.mmap_min_addr (the
        // sysctl, not the larger LSM minimum: no LSM that checks it is active on this machine).
        if ((ulong)ret < Kernel.Config.MmapMinAddr && !Owner.HasCapSysRawio)
            return -(long)Errno.EPERM;
        return ret;
    }

    /// <summary>__thp_get_unmapped_area() for anonymous memory (offset 0): search len + 2 MiB, then align.</summary>
    private long ThpGetUnmappedArea(ulong addr, ulong len, int flags)
    {
        const ulong size = PageTables.PmdSize;
        ulong lenPad = len + size;
        if (lenPad >= len)
        {
            long padded = ArchGetUnmappedAreaTopdown(addr, lenPad, flags);
            if (!ErrnoInfo.IsError(padded))
            {
                ulong ret = (ulong)padded;
                if (ret == addr)
                    return (long)addr;
                ulong offSub = (0 - ret) & (size - 1);
                if (offSub == 0)
                    return (long)(ret + size);
                return (long)(ret + offSub);
            }
        }
        return ArchGetUnmappedAreaTopdown(addr, len, flags);
    }

    /// <summary>arch_get_unmapped_area_topdown() (arch/x86/kernel/sys_x86_64.c).</summary>
    private long ArchGetUnmappedAreaTopdown(ulong addr0, ulong len, int flags)
    {
        ulong addr = addr0;
        if (len > TaskSize)
            return -(long)Errno.ENOMEM;
        if ((flags & Map.MAP_FIXED) != 0)
            return (long)addr;
        if ((flags & Map.MAP_32BIT) != 0)
            return ArchGetUnmappedAreaBottomUp(addr0, len, flags);

        if (addr != 0)
        {
            addr &= ~(PageSize - 1);
            if (MmapAddressHintValid(addr, len))
            {
                var vma = FindVma(addr);
                if (vma is null || addr + len <= VmStartGap(vma))
                    return (long)addr;
            }
        }

        ulong found = UnmappedAreaTopdown(len, PageSize, MmapBase);
        if (found != ulong.MaxValue)
            return (long)found;
        return ArchGetUnmappedAreaBottomUp(addr0, len, flags);
    }

    /// <summary>arch_get_unmapped_area(): bottom-up from TASK_UNMAPPED_BASE, or in [1 GiB, 2 GiB) for MAP_32BIT.</summary>
    private long ArchGetUnmappedAreaBottomUp(ulong addr, ulong len, int flags)
    {
        ulong begin, end;
        if ((flags & Map.MAP_32BIT) != 0)
        {
            begin = 0x40000000;
            end = 0x80000000;
        }
        else
        {
            begin = PageAlign(TaskSize / 3);
            end = TaskSize;
        }
        if (len > end)
            return -(long)Errno.ENOMEM;
        if (addr != 0)
        {
            addr = PageAlign(addr);
            var vma = FindVma(addr);
            if (end - len >= addr && (vma is null || addr + len <= VmStartGap(vma)))
                return (long)addr;
        }
        ulong found = UnmappedAreaBottomUp(len, begin, end);
        return found == ulong.MaxValue ? -(long)Errno.ENOMEM : (long)found;
    }

    /// <summary>mmap_address_hint_valid().</summary>
    private static bool MmapAddressHintValid(ulong addr, ulong len)
    {
        if (TaskSize - len < addr)
            return false;
        return (addr > DefaultMapWindow) == (addr + len > DefaultMapWindow);
    }

    /// <summary>unmapped_area_topdown(): the highest gap of len below high that respects stack guard gaps. MaxValue if none.</summary>
    private ulong UnmappedAreaTopdown(ulong len, ulong lowLimit, ulong highLimit)
    {
        if (lowLimit < MmapMinAddr)
            lowLimit = MmapMinAddr;
        while (true)
        {
            if (highLimit <= lowLimit || !Vmas.FindGapTopDown(lowLimit, highLimit, len, out _, out ulong gapEnd))
                return ulong.MaxValue;
            ulong gap = gapEnd - len;
            var next = Vmas.FindFirstEndingAfter(gapEnd);
            if (next is not null && next.Start < gapEnd)
                next = null;
            if (next is not null && (next.Flags & VmFlags.GrowsDown) != 0)
            {
                if (VmStartGap(next) < gapEnd)
                {
                    highLimit = VmStartGap(next);
                    continue;
                }
            }
            else
            {
                var prev = Vmas.FindLastStartingBefore(gapEnd);
                if (prev is not null && VmEndGap(prev) > gap)
                {
                    highLimit = prev.Start;
                    continue;
                }
            }
            return gap;
        }
    }

    /// <summary>unmapped_area(): the lowest gap of len in [low, high). MaxValue if none.</summary>
    private ulong UnmappedAreaBottomUp(ulong len, ulong lowLimit, ulong highLimit)
    {
        if (lowLimit < MmapMinAddr)
            lowLimit = MmapMinAddr;
        while (true)
        {
            if (highLimit <= lowLimit || !Vmas.FindGapBottomUp(lowLimit, highLimit, len, out ulong gap, out _))
                return ulong.MaxValue;
            var next = Vmas.FindFirstEndingAfter(gap);
            if (next is not null && VmStartGap(next) < gap + len)
            {
                lowLimit = next.End;
                continue;
            }
            return gap;
        }
    }

    /// <summary>
    /// __mmap_region(): unmap what is in the way, check limits and accounting, merge with a neighbour or insert
    /// a new VMA, account. A failure before the point of no return leaves the address space as it was
    /// (except splits of VMAs under a MAP_FIXED range, which Linux leaves too).
    /// </summary>
    public long MmapRegion(ShmemFile? file, ulong addr, ulong len, VmFlags vmFlags, ulong pgoff)
    {
        ulong end = addr + len;
        long pglen = (long)(len >> PageShift);
        var unmap = new MunmapRequest { Start = addr, End = end };
        Vma? prev, next;
        var existing = FindVmaIntersection(addr, end);
        if (existing is not null)
        {
            long err = GatherMunmap(unmap, existing);
            if (err != 0)
                return err;
            prev = unmap.Prev;
            next = unmap.Next;
        }
        else
        {
            next = Vmas.FindFirstEndingAfter(addr);
            prev = next is null ? Vmas.Last : Vmas.Prev(next);
        }

        if (!MayExpandVm(vmFlags, pglen - unmap.NrPages))
        {
            AbortMunmap(unmap);
            return -(long)Errno.ENOMEM;
        }

        long charged = 0;
        // accountable_mapping(): private writable mappings are charged to overcommit.
        if ((vmFlags & (VmFlags.NoReserve | VmFlags.Shared | VmFlags.Write)) == VmFlags.Write)
        {
            charged = pglen - unmap.NrAccounted;
            if (charged > 0 && !Kernel.VmEnoughMemory(this, charged))
            {
                AbortMunmap(unmap);
                return -(long)Errno.ENOMEM;
            }
            unmap.NrAccounted = 0;
            vmFlags |= VmFlags.Account;
        }

        // Shared anonymous memory gets its shmem file now (shmem_zero_setup()), charged unless MAP_NORESERVE.
        bool newShmem = false;
        if (file is null && (vmFlags & VmFlags.Shared) != 0)
        {
            if ((vmFlags & VmFlags.NoReserve) == 0 && !Kernel.VmEnoughMemory(this, pglen))
            {
                if (charged > 0)
                    Kernel.VmUnacctMemory(charged);
                AbortMunmap(unmap);
                return -(long)Errno.ENOMEM;
            }
            file = Kernel.CreateShmemFile("/dev/zero (deleted)", (long)len, isMemfd: false,
                accounted: (vmFlags & VmFlags.NoReserve) == 0 ? pglen : 0);
            newShmem = true;
        }

        // Point of no return.
        ClearPtes(unmap);

        Vma? vma = null;
        if (!newShmem && (prev is not null || next is not null))
        {
            var m = new MergeRequest
            {
                Prev = prev,
                Next = next,
                Start = addr,
                End = end,
                PgOff = pgoff,
                Flags = vmFlags,
                File = file,
            };
            vma = MergeNewRange(m);
        }
        if (vma is null)
        {
            vma = new Vma(this, addr, end, vmFlags, pgoff, file);
            if (file is not null && !newShmem)
                file.Users++;
            Vmas.Insert(vma);
        }

        CompleteMunmap(unmap);
        VmStatAccount(vma.Flags, pglen);
        if ((vmFlags & VmFlags.Locked) != 0)
        {
            if ((vmFlags & VmFlags.Special) != 0)
                vma.Flags &= ~VmFlags.LockedMask;
            else
                LockedVm += pglen;
        }
        return (long)addr;
    }
}
