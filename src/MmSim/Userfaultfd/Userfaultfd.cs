using System.Buffers.Binary;
using MmSim.Abi;
using MmSim.Mm;

namespace MmSim.Userfaultfd;

// The userfaultfd file and its ioctls, mirroring fs/userfaultfd.c of Linux 6.18. The range-filling operations
// (UFFDIO_COPY, UFFDIO_ZEROPAGE) are mm/userfaultfd.c's, in Mfill.cs. What 6.18 does was measured on this
// machine: docs/kernel-notes-userfaultfd.md.
internal sealed partial class UserfaultfdCtx
{
    private static long Err(Errno e) => -(long)e;

    /// <summary>userfaultfd_ioctl(): every command but UFFDIO_API needs the handshake first; unknown ones are EINVAL.</summary>
    public long Ioctl(Process caller, uint cmd, UserPtr arg)
    {
        if (cmd != Uffd.UFFDIO_API && !Initialized)
            return Err(Errno.EINVAL);
        return cmd switch
        {
            Uffd.UFFDIO_API => Api(caller, arg),
            Uffd.UFFDIO_REGISTER => Register(caller, arg),
            Uffd.UFFDIO_UNREGISTER => Unregister(caller, arg),
            Uffd.UFFDIO_WAKE => WakeIoctl(caller, arg),
            Uffd.UFFDIO_COPY => Mfill.CopyIoctl(this, caller, arg),
            Uffd.UFFDIO_ZEROPAGE => Mfill.ZeropageIoctl(this, caller, arg),
            Uffd.UFFDIO_CONTINUE => Mfill.ContinueIoctl(this, caller, arg),
            Uffd.UFFDIO_WRITEPROTECT => WriteProtectIoctl(caller, arg),
            Uffd.UFFDIO_POISON => Mfill.PoisonIoctl(this, caller, arg),
            Uffd.UFFDIO_MOVE => Move.MoveIoctl(this, caller, arg),
            _ => Err(Errno.EINVAL),
        };
    }

    /// <summary>
    /// userfaultfd_api(): the handshake. Whatever was asked, success reports every feature this kernel has and the
    /// ioctls of an uninitialized range; a failure zeroes the whole struct and leaves the context as it was.
    /// </summary>
    private long Api(Process caller, UserPtr arg)
    {
        Span<byte> api = stackalloc byte[24];
        if (!caller.CopyFromUser(arg, api))
            return Err(Errno.EFAULT);
        ulong version = BinaryPrimitives.ReadUInt64LittleEndian(api);
        ulong features = BinaryPrimitives.ReadUInt64LittleEndian(api[8..]);
        long ret;
        if (version != Uffd.UFFD_API)
        {
            ret = Err(Errno.EINVAL);
        }
        else if ((features & Uffd.UFFD_FEATURE_EVENT_FORK) != 0 && !caller.Capabilities.HasEffective(Capability.CAP_SYS_PTRACE))
        {
            ret = Err(Errno.EPERM);
        }
        else if ((features & ~Uffd.UFFD_API_FEATURES) != 0)
        {
            ret = Err(Errno.EINVAL);
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(api, Uffd.UFFD_API);
            BinaryPrimitives.WriteUInt64LittleEndian(api[8..], Uffd.UFFD_API_FEATURES);
            BinaryPrimitives.WriteUInt64LittleEndian(api[16..], Uffd.UFFD_API_IOCTLS);
            if (!caller.CopyToUser(arg, api))
                return Err(Errno.EFAULT);
            // Only one handshake: a second one fails, after the copy-out, and zeroes the struct.
            if (Initialized)
            {
                ret = Err(Errno.EINVAL);
            }
            else
            {
                // WP_ASYNC implies WP_UNPOPULATED.
                if ((features & Uffd.UFFD_FEATURE_WP_ASYNC) != 0)
                    features |= Uffd.UFFD_FEATURE_WP_UNPOPULATED;
                Features = features;
                Initialized = true;
                return 0;
            }
        }
        api.Clear();
        return caller.CopyToUser(arg, api) ? ret : Err(Errno.EFAULT);
    }

    /// <summary>validate_unaligned_range(): a non-empty length in pages, inside TASK_SIZE, not wrapping.</summary>
    internal static bool ValidUnalignedRange(ulong start, ulong len) =>
        (len & (MmStruct.PageSize - 1)) == 0 && len != 0 && start < MmStruct.TaskSize && len <= MmStruct.TaskSize - start;

    /// <summary>validate_range(): <see cref="ValidUnalignedRange"/> with a page-aligned start.</summary>
    internal static bool ValidRange(ulong start, ulong len) =>
        (start & (MmStruct.PageSize - 1)) == 0 && ValidUnalignedRange(start, len);

    /// <summary>mmget_not_zero(ctx->mm): the context's address space is still alive.</summary>
    internal bool MmAlive => Mm.Owner.IsAlive && Mm.Owner.Mm == Mm;

    /// <summary>vma_can_userfault(): anonymous and shmem VMAs take any mode but MINOR, which needs shmem.</summary>
    private static bool VmaCanUserfault(Vma vma, VmFlags modes) =>
        (modes & VmFlags.UffdMinor) == 0 || !vma.IsAnonymous;

    private static VmFlags ModeFlags(ulong mode) =>
        ((mode & Uffd.UFFDIO_REGISTER_MODE_MISSING) != 0 ? VmFlags.UffdMissing : 0)
        | ((mode & Uffd.UFFDIO_REGISTER_MODE_WP) != 0 ? VmFlags.UffdWp : 0)
        | ((mode & Uffd.UFFDIO_REGISTER_MODE_MINOR) != 0 ? VmFlags.UffdMinor : 0);

    /// <summary>
    /// userfaultfd_register(): check every VMA the range touches (holes are skipped), in address order, and only
    /// then register them all; the first VMA that cannot be registered decides the errno and nothing changes.
    /// </summary>
    private long Register(Process caller, UserPtr arg)
    {
        Span<byte> reg = stackalloc byte[24];
        if (!caller.CopyFromUser(arg, reg))
            return Err(Errno.EFAULT);
        ulong start = BinaryPrimitives.ReadUInt64LittleEndian(reg);
        ulong len = BinaryPrimitives.ReadUInt64LittleEndian(reg[8..]);
        ulong mode = BinaryPrimitives.ReadUInt64LittleEndian(reg[16..]);
        const ulong modes = Uffd.UFFDIO_REGISTER_MODE_MISSING | Uffd.UFFDIO_REGISTER_MODE_WP | Uffd.UFFDIO_REGISTER_MODE_MINOR;
        if (mode == 0 || (mode & ~modes) != 0)
            return Err(Errno.EINVAL);
        if (!ValidRange(start, len))
            return Err(Errno.EINVAL);
        // mmget_not_zero() failing: the mm's owner is gone.
        if (!MmAlive)
            return Err(Errno.ENOMEM);
        var flags = ModeFlags(mode);
        ulong end = start + len;
        var mm = Mm;
        if (mm.FindVmaIntersection(start, end) is null)
            return Err(Errno.EINVAL);

        // The pre-scan: nothing changes unless every VMA can take the registration.
        for (var cur = mm.FindVmaIntersection(start, end); cur is not null && cur.Start < end; cur = mm.Vmas.Next(cur))
        {
            if (!VmaCanUserfault(cur, flags))
                return Err(Errno.EINVAL);
            // UFFDIO_COPY fills holes even without PROT_WRITE: a shared mapping must be writable through its file.
            if ((cur.Flags & VmFlags.MayWrite) == 0)
                return Err(Errno.EPERM);
            if (cur.UffdCtx is not null && cur.UffdCtx != this)
                return Err(Errno.EBUSY);
        }

        // userfaultfd_register_range()
        Vma? prev = null;
        for (var vma = mm.FindVmaIntersection(start, end); vma is not null && vma.Start < end; vma = mm.Vmas.Next(vma))
        {
            // Already registered here with every mode asked for: nothing to do.
            if (vma.UffdCtx != this || (vma.Flags & flags) != flags)
            {
                ulong from = Math.Max(start, vma.Start), to = Math.Min(end, vma.End);
                var newFlags = (vma.Flags & ~VmFlags.UffdFlags) | flags;
                var modified = mm.VmaModifyFlagsUffd(prev ?? mm.Vmas.Prev(vma), vma, from, to, newFlags, this);
                if (modified is null)
                    return Err(Errno.ENOMEM);
                vma = modified;
            }
            prev = vma;
        }

        ulong ioctls = Uffd.UFFD_API_RANGE_IOCTLS | (1UL << Uffd._UFFDIO_WRITEPROTECT) | (1UL << Uffd._UFFDIO_CONTINUE);
        if ((mode & Uffd.UFFDIO_REGISTER_MODE_MINOR) == 0)
            ioctls &= ~(1UL << Uffd._UFFDIO_CONTINUE);
        if ((mode & Uffd.UFFDIO_REGISTER_MODE_WP) == 0)
            ioctls &= ~(1UL << Uffd._UFFDIO_WRITEPROTECT);
        Span<byte> out8 = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(out8, ioctls);
        // put_user() of ioctls: a failure comes after the registration, which stays.
        return caller.CopyToUser(arg.Plus(24), out8) ? 0 : Err(Errno.EFAULT);
    }

    /// <summary>
    /// userfaultfd_unregister(): every VMA in the range must be this context's or none's; faults blocked in a
    /// MISSING range are woken (they retry as ordinary faults), and the VMAs lose the registration and merge back.
    /// </summary>
    private long Unregister(Process caller, UserPtr arg)
    {
        if (!ReadRange(caller, arg, out ulong start, out ulong len))
            return Err(Errno.EFAULT);
        if (!ValidRange(start, len))
            return Err(Errno.EINVAL);
        // mmget_not_zero() failing: the mm's owner is gone.
        if (!MmAlive)
            return Err(Errno.ENOMEM);
        ulong end = start + len;
        var mm = Mm;
        if (mm.FindVmaIntersection(start, end) is null)
            return Err(Errno.EINVAL);
        for (var cur = mm.FindVmaIntersection(start, end); cur is not null && cur.Start < end; cur = mm.Vmas.Next(cur))
        {
            if (cur.UffdCtx is not null && cur.UffdCtx != this)
                return Err(Errno.EINVAL);
        }
        Vma? prev = null;
        for (var vma = mm.FindVmaIntersection(start, end); vma is not null && vma.Start < end; vma = mm.Vmas.Next(vma))
        {
            if (vma.UffdCtx is null)
            {
                prev = vma;
                continue;
            }
            ulong from = Math.Max(start, vma.Start), to = Math.Min(end, vma.End);
            if ((vma.Flags & VmFlags.UffdMissing) != 0)
                WakeRange(from, to - from);
            // userfaultfd_clear_vma(): the protections of a WP range go with it (a blocked WP writer stays asleep).
            if ((vma.Flags & VmFlags.UffdWp) != 0)
                UffdWpRange(mm, vma, from, to, protect: false);
            var modified = mm.VmaModifyFlagsUffd(prev ?? mm.Vmas.Prev(vma), vma, from, to, vma.Flags & ~VmFlags.UffdFlags, null);
            if (modified is null)
                return Err(Errno.ENOMEM);
            vma = modified;
            prev = vma;
        }
        return 0;
    }

    /// <summary>userfaultfd_wake(): wake the faults in a range; no VMA is looked at.</summary>
    private long WakeIoctl(Process caller, UserPtr arg)
    {
        if (!ReadRange(caller, arg, out ulong start, out ulong len))
            return Err(Errno.EFAULT);
        if (!ValidRange(start, len))
            return Err(Errno.EINVAL);
        WakeRange(start, len);
        return 0;
    }

    private static bool ReadRange(Process caller, UserPtr arg, out ulong start, out ulong len)
    {
        Span<byte> range = stackalloc byte[16];
        start = len = 0;
        if (!caller.CopyFromUser(arg, range))
            return false;
        start = BinaryPrimitives.ReadUInt64LittleEndian(range);
        len = BinaryPrimitives.ReadUInt64LittleEndian(range[8..]);
        return true;
    }

    /// <summary>
    /// wake_userfault() / userfaultfd_wake_function(): wake every fault, read or not, whose message address lies in
    /// [start, start + len); len 0 wakes all. A woken task retries its fault.
    /// </summary>
    internal void WakeRange(ulong start, ulong len)
    {
        WakeIn(FaultPending, start, len);
        WakeIn(Faults, start, len);
    }

    private void WakeIn(List<UffdWaitQueue> queue, ulong start, ulong len)
    {
        for (int i = 0; i < queue.Count;)
        {
            var uwq = queue[i];
            ulong address = uwq.Msg.Address;
            if (len != 0 && (start > address || start + len <= address))
            {
                i++;
                continue;
            }
            queue.RemoveAt(i);
            uwq.Task.WakeUp();
        }
    }

    /// <summary>
    /// userfaultfd_read(): messages of 32 bytes, oldest fault first, as many as fit; blocking (unless O_NONBLOCK)
    /// only for the first. A message read is not delivered again: its fault waits on fault_wqh for a wake-up.
    /// </summary>
    public long Read(Process caller, TaskStruct current, UserPtr buf, ulong count, bool nonBlock)
    {
        if (!Initialized)
            return Err(Errno.EINVAL);
        long done = 0;
        Span<byte> msg = stackalloc byte[UffdMsg.Size];
        while (true)
        {
            if (count < UffdMsg.Size)
                return done > 0 ? done : Err(Errno.EINVAL);
            if (FaultPending.Count == 0 && EventPending.Count > 0)
            {
                // Events come after every pending fault. A message that cannot be written is lost, and its caller
                // goes on all the same.
                var ev = EventPending[0];
                EventPending.RemoveAt(0);
                var written = ev.Msg;
                if (ev.Forked is { } forked)
                {
                    // resolve_userfault_fork(): the child's context gets an fd in the reader's table. Without a free
                    // one the event goes back, last in the queue, and the read fails (or returns what it has).
                    long fd = caller.InstallUserfaultfd(forked);
                    if (fd < 0)
                    {
                        EventPending.Add(ev);
                        return done > 0 ? done : fd;
                    }
                    written = UffdMsg.Fork((int)fd);
                }
                Complete(ev);
                written.WriteTo(msg);
                if (!caller.CopyToUser(buf.Plus((int)done), msg))
                    return done > 0 ? done : Err(Errno.EFAULT);
                done += UffdMsg.Size;
                count -= UffdMsg.Size;
                continue;
            }
            if (FaultPending.Count == 0)
            {
                if (done > 0)
                    return done;
                if (nonBlock)
                    return Err(Errno.EAGAIN);
                // schedule(): the reader sleeps on fd_wqh until a fault or an event arrives or the file is released.
                current.Block(this);
                Readers.Add(current);
                return TaskStruct.Blocked;
            }
            // The fault leaves fault_pending_wqh before the copy: a message that cannot be written is lost, and its
            // task sleeps on until a wake-up (measured on 6.18).
            var uwq = FaultPending[0];
            FaultPending.RemoveAt(0);
            Faults.Add(uwq);
            uwq.Msg.WriteTo(msg);
            if (!caller.CopyToUser(buf.Plus((int)done), msg))
                return done > 0 ? done : Err(Errno.EFAULT);
            done += UffdMsg.Size;
            count -= UffdMsg.Size;
        }
    }

    /// <summary>
    /// handle_userfault(): deliver a fault at <paramref name="address"/> in a VMA registered here to the monitor and
    /// block the faulting task until it is woken; the fault is then retried. With UFFD_FEATURE_SIGBUS it is SIGBUS
    /// at once; a fault from kernel mode on a UFFD_USER_MODE_ONLY context is SIGBUS (EFAULT for the syscall); once
    /// the file is released the fault just retries.
    /// </summary>
    public FaultError HandleUserfault(ulong address, ulong realAddress, bool write, bool user, VmFlags reason, TaskStruct current)
    {
        if (Has(Uffd.UFFD_FEATURE_SIGBUS))
            return FaultError.SigBus;
        if (!user && (Flags & Uffd.UFFD_USER_MODE_ONLY) != 0)
            return FaultError.SigBus;
        if (Released)
            return FaultError.Retry;
        // A fault the kernel takes on a task's behalf (copy_from_user in a syscall, GUP) would sleep in the middle
        // of that syscall; the model's syscalls cannot stop half way, so it fails like the user-mode-only case.
        if (!user)
            return FaultError.SigBus;
        ulong flags = (write ? Uffd.UFFD_PAGEFAULT_FLAG_WRITE : 0)
            | ((reason & VmFlags.UffdWp) != 0 ? Uffd.UFFD_PAGEFAULT_FLAG_WP : 0)
            | ((reason & VmFlags.UffdMinor) != 0 ? Uffd.UFFD_PAGEFAULT_FLAG_MINOR : 0);
        var msg = new UffdMsg(Uffd.UFFD_EVENT_PAGEFAULT, flags,
            Has(Uffd.UFFD_FEATURE_EXACT_ADDRESS) ? realAddress : address,
            Has(Uffd.UFFD_FEATURE_THREAD_ID) ? (uint)current.Tid : 0);
        var uwq = new UffdWaitQueue(msg, current);
        FaultPending.Add(uwq);
        current.Block(this);
        // wake_up_poll(&ctx->fd_wqh, EPOLLIN): readers retry their read.
        WakeReaders();
        return FaultError.Blocked;
    }

    /// <summary>
    /// userfaultfd_poll(): POLLERR before the handshake and for a blocking fd (poll cannot promise a read would not
    /// block); otherwise POLLIN while a fault or an event waits to be read, else nothing.
    /// </summary>
    internal int Poll(bool nonBlock)
    {
        if (!Initialized || !nonBlock)
            return Abi.Poll.POLLERR;
        return FaultPending.Count > 0 || EventPending.Count > 0 ? Abi.Poll.POLLIN : 0;
    }

    internal void WakeReaders()
    {
        foreach (var reader in Readers)
            reader.WakeUp();
        Readers.Clear();
    }

    /// <summary>A task blocked on this context ended (its process died): it no longer waits.</summary>
    internal void Forget(TaskStruct task)
    {
        FaultPending.RemoveAll(u => u.Task == task);
        Faults.RemoveAll(u => u.Task == task);
        Readers.Remove(task);
        EventPending.RemoveAll(e => e.Task == task);
    }

    /// <summary>
    /// userfaultfd_release(): the last reference to the file is gone. Every VMA registered with the context loses
    /// its registration (merging back where it can), then every blocked fault and reader is woken: the faults retry
    /// as ordinary faults.
    /// </summary>
    public void Release()
    {
        Released = true;
        if (Mm.Owner.Mm == Mm)
        {
            Vma? prev = null;
            for (var vma = Mm.Vmas.First; vma is not null; vma = Mm.Vmas.Next(vma))
            {
                if (vma.UffdCtx == this)
                {
                    if ((vma.Flags & VmFlags.UffdWp) != 0)
                        UffdWpRange(Mm, vma, vma.Start, vma.End, protect: false);
                    var cleared = Mm.VmaModifyFlagsUffd(prev, vma, vma.Start, vma.End, vma.Flags & ~VmFlags.UffdFlags, null);
                    // Clearing the whole VMA never splits, so it cannot fail.
                    vma = cleared ?? throw new InvariantViolationException($"{this}: release could not clear {vma}");
                }
                prev = vma;
            }
        }
        WakeRange(0, 0);
        WakeReaders();
        // The callers waiting for their events to be read go on as if they had been; a fork's child loses the
        // registrations of the context it would have had.
        foreach (var ev in EventPending)
        {
            if (ev.Forked is { } forked)
                ReleaseForked(forked);
            Complete(ev);
        }
        EventPending.Clear();
    }
}
