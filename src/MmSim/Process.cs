using MmSim.Abi;
using MmSim.Mm;
using MmSim.Userfaultfd;

namespace MmSim;

/// <summary>
/// A simulated process (a single-threaded task_struct with its mm_struct, fd table, limits and capabilities).
/// Syscalls return what the kernel returns: a non-negative value, or <c>-errno</c>.
/// A user's mistake never throws: it returns the errno Linux returns.
/// </summary>
public sealed partial class Process
{
    /// <summary>The initial stack VMA, as a non-randomized exec leaves it: 132 KiB below TASK_SIZE.</summary>
    public const ulong InitialStackTop = MmStruct.TaskSize;
    public const ulong InitialStackSize = 132 << 10;
    /// <summary>mm->start_brk: where a small non-randomized PIE's heap would begin. No [heap] VMA until brk() grows it.</summary>
    public const ulong InitialBrk = 0x555555559000;
    /// <summary>mm->mmap_base without randomization: TASK_SIZE - 128 MiB (the minimum gap below the stack).</summary>
    public const ulong InitialMmapBase = MmStruct.TaskSize - (128UL << 20);
    private const int FirstFd = 3;

    private readonly SortedDictionary<int, OpenFile> _fds = [];
    private readonly RLimit[] _rlimits = new RLimit[Rlimit.RLIM_NLIMITS];
    // The live tasks, the leader first while it lives, then by creation.
    private readonly List<TaskStruct> _tasks = [];

    private Process(Kernel kernel, int pid)
    {
        Kernel = kernel;
        Pid = pid;
        Mm = new MmStruct(kernel, this);
        Leader = new TaskStruct(this, pid);
        _tasks.Add(Leader);
    }

    /// <summary>The group leader: the first task, whose tid is the pid. It may have exited while others run.</summary>
    public TaskStruct Leader { get; }

    /// <summary>The tasks that have not exited (the Threads: line of status).</summary>
    public IReadOnlyList<TaskStruct> Tasks => _tasks;

    public int Pid { get; }
    /// <summary>The parent's pid (0 for the first process).</summary>
    public int ParentPid { get; private set; }
    public Kernel Kernel { get; }
    public bool IsAlive { get; private set; } = true;
    /// <summary>The signal that ended the process (0 if it exited or is alive).</summary>
    public int KilledBySignal { get; private set; }
    public int ExitCode { get; private set; }
    /// <summary>
    /// The capability sets of the calling task (<see cref="Current"/>): credentials are per task on Linux. The first
    /// process starts with <see cref="KernelConfig.InitialCapabilities"/>; a thread or fork child inherits its
    /// creator's; capset() changes the caller's under Linux's rules, <see cref="SetCapabilities"/> every task's
    /// without.
    /// </summary>
    public CapSets Capabilities => Current.Capabilities;
    /// <summary>CAP_IPC_LOCK in the effective set: locking beyond RLIMIT_MEMLOCK, or with it 0.</summary>
    public bool HasCapIpcLock => Capabilities.HasEffective(Capability.CAP_IPC_LOCK);
    /// <summary>CAP_SYS_RESOURCE in the effective set: raising hard limits.</summary>
    public bool HasCapSysResource => Capabilities.HasEffective(Capability.CAP_SYS_RESOURCE);
    /// <summary>CAP_SYS_RAWIO in the effective set: mapping below vm.mmap_min_addr.</summary>
    public bool HasCapSysRawio => Capabilities.HasEffective(Capability.CAP_SYS_RAWIO);

    internal MmStruct? Mm { get; private set; }

    internal static Process CreateInit(Kernel kernel, int pid)
    {
        var p = new Process(kernel, pid);
        p.SetCapabilities(kernel.Config.InitialCapabilities);
        p._rlimits[Rlimit.RLIMIT_STACK] = new RLimit(8UL << 20, Rlimit.RLIM_INFINITY);
        p._rlimits[Rlimit.RLIMIT_MEMLOCK] = new RLimit(8UL << 20, 8UL << 20);
        p._rlimits[Rlimit.RLIMIT_NOFILE] = new RLimit(1024, 4096);
        p._rlimits[Rlimit.RLIMIT_CORE] = new RLimit(0, Rlimit.RLIM_INFINITY);
        foreach (int r in (ReadOnlySpan<int>)[Rlimit.RLIMIT_CPU, Rlimit.RLIMIT_FSIZE, Rlimit.RLIMIT_DATA, Rlimit.RLIMIT_RSS,
                     Rlimit.RLIMIT_AS, Rlimit.RLIMIT_LOCKS, Rlimit.RLIMIT_RTTIME])
            p._rlimits[r] = new RLimit(Rlimit.RLIM_INFINITY, Rlimit.RLIM_INFINITY);
        p._rlimits[Rlimit.RLIMIT_NPROC] = new RLimit(63000, 63000);
        p._rlimits[Rlimit.RLIMIT_SIGPENDING] = new RLimit(63000, 63000);
        p._rlimits[Rlimit.RLIMIT_MSGQUEUE] = new RLimit(819200, 819200);

        var mm = p.Mm!;
        if (!mm.PageTables.TryAllocPgd())
            throw new InvalidOperationException("RAM too small for the first process's page tables");
        mm.MmapBase = InitialMmapBase;
        mm.StartBrk = mm.Brk = InitialBrk;
        mm.StartStack = InitialStackTop - 4096;
        ulong start = InitialStackTop - InitialStackSize;
        // setup_arg_pages(): the stack VMA, with the page holding argv/envp faulted in.
        var stack = new Vma(mm, start, InitialStackTop, VmFlags.StackFlags, start >> 12, null);
        mm.Add(stack);
        mm.VmStatAccount(stack.Flags, (long)stack.Pages);
        kernel.VmEnoughMemory(mm, (long)stack.Pages);
        mm.Populate(InitialStackTop - 4096, InitialStackTop);
        return p;
    }

    /// <summary>The userfaultfd contexts this process's fd table holds.</summary>
    internal IEnumerable<UserfaultfdCtx> OpenUserfaultfds
    {
        get
        {
            foreach (var of in _fds.Values)
            {
                if (of.Uffd is { } ctx)
                    yield return ctx;
            }
        }
    }

    internal IEnumerable<ShmemFile> OpenFiles
    {
        get
        {
            foreach (var of in _fds.Values)
            {
                if (of.File is { } file)
                    yield return file;
            }
        }
    }

    private TaskStruct? _current;

    /// <summary>
    /// current: the task making this process's calls. A caller with several threads sets it before each call (the
    /// scenario runner does); otherwise it is the first live task. It decides who blocks in a userfaultfd fault and
    /// the thread id the fault's message names.
    /// </summary>
    public TaskStruct Current
    {
        get => _current is { IsAlive: true } c && c.Process == this ? c : _tasks.Count > 0 ? _tasks[0] : Leader;
        set => _current = value;
    }

    internal RLimit GetRlimit(int resource) => _rlimits[resource];

    /// <summary>can_do_mlock().</summary>
    internal bool CanDoMlock() => _rlimits[Rlimit.RLIMIT_MEMLOCK].Cur != 0 || HasCapIpcLock;

    private static long Err(Errno e) => -(long)e;

    private bool TryGetMm(out MmStruct mm)
    {
        mm = Mm!;
        return IsAlive && mm is not null;
    }

    // ---- memory-management syscalls ----

    /// <summary>mmap(2) (arch/x86/kernel/sys_x86_64.c, mm/mmap.c ksys_mmap_pgoff()).</summary>
    public long Mmap(ulong addr, ulong length, int prot, int flags, int fd, long offset)
    {
        if (!TryGetMm(out var mm))
            return Err(Errno.ESRCH);
        if ((offset & 4095) != 0)
            return Err(Errno.EINVAL);
        OpenFile? file = null;
        if ((flags & Map.MAP_ANONYMOUS) == 0)
        {
            if (!_fds.TryGetValue(fd, out file))
                return Err(Errno.EBADF);
            if ((flags & Map.MAP_HUGETLB) != 0)
                return Err(Errno.EINVAL);
        }
        else if ((flags & Map.MAP_HUGETLB) != 0)
        {
            // No hugetlb pages are reserved on the simulated machine (vm.nr_hugepages = 0).
            return Err(Errno.ENOMEM);
        }
        if (Current.PendingEvents is not null)
            return UserfaultfdCtx.Continue(Current);
        mm.BeginUffdEvents();
        long ret = mm.DoMmap(file, addr, length, prot, flags, (ulong)offset >> 12, out ulong populate);
        bool doPopulate = !ErrnoInfo.IsError(ret) && populate != 0;
        // vm_mmap_pgoff(): the UNMAP events of what MAP_FIXED replaced come first, then mm_populate().
        if (mm.EndUffdEvents() is { } events)
        {
            var batch = new UffdEventBatch(events, ret);
            if (doPopulate)
            {
                batch.Then = () =>
                {
                    mm.Populate((ulong)ret, (ulong)ret + populate);
                    return ret;
                };
            }
            return UserfaultfdCtx.Deliver(Current, batch);
        }
        if (doPopulate)
            mm.Populate((ulong)ret, (ulong)ret + populate);
        return ret;
    }

    /// <summary>
    /// The end of a syscall that may produce userfaultfd events (munmap, mremap, brk): with none it returns
    /// <paramref name="ret"/>; otherwise the caller sleeps until each is read (see <see cref="UserfaultfdCtx.Deliver"/>).
    /// </summary>
    private long DeliverUffdEvents(MmStruct mm, long ret) =>
        mm.EndUffdEvents() is { } events ? UserfaultfdCtx.Deliver(Current, new UffdEventBatch(events, ret)) : ret;

    /// <summary>
    /// mremap(2) (mm/mremap.c): shrink, grow in place, or move (MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP).
    /// Returns the new address or -errno. A grown VM_LOCKED mapping is populated afterwards, as Linux does
    /// once the mmap lock is dropped.
    /// </summary>
    public long Mremap(ulong oldAddr, ulong oldSize, ulong newSize, int flags, ulong newAddr)
    {
        if (!TryGetMm(out var mm))
            return Err(Errno.ESRCH);
        if (Current.PendingEvents is not null)
            return UserfaultfdCtx.Continue(Current);
        var r = new RemapRequest { Addr = oldAddr, OldLen = oldSize, NewLen = newSize, Flags = flags, NewAddr = newAddr };
        mm.BeginUffdEvents();
        long ret = mm.DoMremap(r);
        // The growth of a locked mapping is populated first, then the events: UNMAP of a replaced target, REMAP,
        // UNMAP of the source.
        if (!ErrnoInfo.IsError(ret) && r.PopulateExpand)
            mm.Populate(r.NewAddr + r.OldLen, r.NewAddr + r.OldLen + r.Delta);
        return DeliverUffdEvents(mm, ret);
    }

    public long Munmap(ulong addr, ulong length)
    {
        if (!TryGetMm(out var mm))
            return Err(Errno.ESRCH);
        if (Current.PendingEvents is not null)
            return UserfaultfdCtx.Continue(Current);
        mm.BeginUffdEvents();
        return DeliverUffdEvents(mm, mm.DoMunmap(addr, length));
    }

    public long Mprotect(ulong addr, ulong length, int prot) =>
        TryGetMm(out var mm) ? mm.DoMprotect(addr, length, prot) : Err(Errno.ESRCH);

    public long Mlock(ulong addr, ulong length) =>
        TryGetMm(out var mm) ? mm.DoMlock(addr, length, VmFlags.Locked) : Err(Errno.ESRCH);

    /// <summary>mlock2(2): only MLOCK_ONFAULT is a valid flag.</summary>
    public long Mlock2(ulong addr, ulong length, int flags)
    {
        if ((flags & ~Abi.Mlock.MLOCK_ONFAULT) != 0)
            return Err(Errno.EINVAL);
        var vmFlags = VmFlags.Locked | ((flags & Abi.Mlock.MLOCK_ONFAULT) != 0 ? VmFlags.LockOnFault : 0);
        return TryGetMm(out var mm) ? mm.DoMlock(addr, length, vmFlags) : Err(Errno.ESRCH);
    }

    public long Munlock(ulong addr, ulong length) =>
        TryGetMm(out var mm) ? mm.DoMunlock(addr, length) : Err(Errno.ESRCH);

    public long Mlockall(int flags) =>
        TryGetMm(out var mm) ? mm.DoMlockall(flags) : Err(Errno.ESRCH);

    public long Munlockall() =>
        TryGetMm(out var mm) ? mm.DoMunlockall() : Err(Errno.ESRCH);

    public long Brk(ulong brk)
    {
        if (!TryGetMm(out var mm))
            return Err(Errno.ESRCH);
        if (Current.PendingEvents is not null)
            return UserfaultfdCtx.Continue(Current);
        mm.BeginUffdEvents();
        return DeliverUffdEvents(mm, mm.DoBrk(brk));
    }

    public long Msync(ulong addr, ulong length, int flags) =>
        TryGetMm(out var mm) ? mm.DoMsync(addr, length, flags) : Err(Errno.ESRCH);

    /// <summary>mincore(2): the vector is written to process memory at <paramref name="vec"/>, as the kernel does.</summary>
    public long Mincore(ulong addr, ulong length, ulong vec) =>
        TryGetMm(out var mm) ? mm.DoMincore(addr, length, vec) : Err(Errno.ESRCH);

    // ---- files ----

    /// <summary>
    /// get_unused_fd_flags(): the lowest free fd (0, 1 and 2 are taken), or -EMFILE when it is not below
    /// RLIMIT_NOFILE's soft limit.
    /// </summary>
    private long AllocFd()
    {
        int fd = FirstFd;
        while (_fds.ContainsKey(fd))
            fd++;
        return (ulong)fd >= _rlimits[Rlimit.RLIMIT_NOFILE].Cur ? Err(Errno.EMFILE) : fd;
    }

    /// <summary>A new fd for a userfaultfd context: O_NONBLOCK as the context was made with.</summary>
    internal long InstallUserfaultfd(UserfaultfdCtx ctx)
    {
        long fd = AllocFd();
        if (fd >= 0)
            _fds[(int)fd] = new OpenFile(ctx, ctx.Flags & OpenFlags.O_NONBLOCK);
        return fd;
    }

    /// <summary>memfd_create(2) (mm/memfd.c): a shmem file named "memfd:NAME". A null name is a NULL pointer: EFAULT.</summary>
    public long MemfdCreate(string? name, uint flags)
    {
        if (!IsAlive)
            return Err(Errno.ESRCH);
        const uint allFlags = Mfd.MFD_CLOEXEC | Mfd.MFD_ALLOW_SEALING | Mfd.MFD_HUGETLB | Mfd.MFD_NOEXEC_SEAL | Mfd.MFD_EXEC;
        // MFD_HUGE_MASK << MFD_HUGE_SHIFT: the huge page size encoding allowed with MFD_HUGETLB.
        const uint hugeSizeBits = 0x3fU << 26;
        if ((flags & Mfd.MFD_HUGETLB) == 0 ? (flags & ~allFlags) != 0 : (flags & ~(allFlags | hugeSizeBits)) != 0)
            return Err(Errno.EINVAL);
        if ((flags & Mfd.MFD_EXEC) != 0 && (flags & Mfd.MFD_NOEXEC_SEAL) != 0)
            return Err(Errno.EINVAL);
        // alloc_name(): strnlen_user() of a NULL pointer faults.
        if (name is null)
            return Err(Errno.EFAULT);
        if (System.Text.Encoding.Latin1.GetByteCount(name) > Mfd.MFD_NAME_MAX_LEN)
            return Err(Errno.EINVAL);
        if ((flags & Mfd.MFD_HUGETLB) != 0)
            return Err(Errno.ENOSYS); // hugetlbfs is not modelled yet (Linux creates the file)
        long fd = AllocFd();
        if (fd < 0)
            return fd;
        var file = Kernel.CreateShmemFile($"/memfd:{name} (deleted)", 0, isMemfd: true, accounted: 0);
        _fds[(int)fd] = new OpenFile(file);
        return fd;
    }

    /// <summary>ftruncate(2) on a memfd (shmem_setattr()): shrinking unmaps and frees the pages past the end.</summary>
    public long Ftruncate(int fd, long length)
    {
        if (!IsAlive)
            return Err(Errno.ESRCH);
        if (length < 0)
            return Err(Errno.EINVAL);
        if (!_fds.TryGetValue(fd, out var of))
            return Err(Errno.EBADF);
        if (of.File is not { } file)
            return Err(Errno.EINVAL);
        long old = file.Size;
        file.Size = length;
        // shmem_setattr() truncates whenever the size does not grow, even to the same size.
        if (length <= old)
        {
            ulong holeBegin = (ulong)(length + 4095) >> 12;
            Kernel.TruncateShmem(file, holeBegin);
            // shmem_undo_range(): the partial last page is marked dirty and its tail zeroed.
            if ((length & 4095) != 0)
            {
                ulong last = (ulong)length >> 12;
                int pfn = file.Find(last);
                // shmem_get_partial_folio(): a swapped-out last page is read back to be zeroed.
                if (pfn < 0 && file.TryGetSwap(last, out var entry)
                    && Kernel.ShmemSwapin(file, last, entry, this, out int swapped) == MmSim.Mm.FaultError.None)
                    pfn = swapped;
                if (pfn >= 0)
                {
                    Kernel.Phys.Flags(pfn) |= PageFlags.Dirty;
                    Kernel.Phys.Data(pfn)[(int)(length & 4095)..].Clear();
                }
            }
        }
        return 0;
    }

    public long Close(int fd)
    {
        if (!IsAlive)
            return Err(Errno.ESRCH);
        if (!_fds.Remove(fd, out var of))
            return Err(Errno.EBADF);
        PutOpenFile(of);
        return 0;
    }

    private void PutOpenFile(OpenFile of)
    {
        if (--of.RefCount != 0)
            return;
        if (of.File is { } file)
            Kernel.PutFile(file);
        else
            of.Uffd?.Release();
    }

    public long Dup(int fd)
    {
        if (!IsAlive)
            return Err(Errno.ESRCH);
        if (!_fds.TryGetValue(fd, out var of))
            return Err(Errno.EBADF);
        long nfd = AllocFd();
        if (nfd < 0)
            return nfd;
        of.RefCount++;
        _fds[(int)nfd] = of;
        return nfd;
    }

    // ---- userfaultfd ----

    /// <summary>
    /// userfaultfd(2) (fs/userfaultfd.c new_userfaultfd()): a context for this process's mm. Without
    /// UFFD_USER_MODE_ONLY it needs vm.unprivileged_userfaultfd or CAP_SYS_PTRACE (EPERM, checked first); flags
    /// other than O_CLOEXEC, O_NONBLOCK and UFFD_USER_MODE_ONLY are EINVAL.
    /// </summary>
    public long Userfaultfd(int flags)
    {
        if (!TryGetMm(out var mm))
            return Err(Errno.ESRCH);
        if ((flags & Uffd.UFFD_USER_MODE_ONLY) == 0 && Kernel.Config.UnprivilegedUserfaultfd == 0
            && !Capabilities.HasEffective(Capability.CAP_SYS_PTRACE))
            return Err(Errno.EPERM);
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK | Uffd.UFFD_USER_MODE_ONLY)) != 0)
            return Err(Errno.EINVAL);
        return InstallUserfaultfd(new UserfaultfdCtx(mm, flags));
    }

    /// <summary>
    /// ioctl(2): the userfaultfd commands (UFFDIO_*, with their struct through <paramref name="arg"/>); a memfd has
    /// no ioctls (ENOTTY).
    /// </summary>
    public long Ioctl(int fd, uint cmd, UserPtr arg)
    {
        if (!IsAlive)
            return Err(Errno.ESRCH);
        if (!_fds.TryGetValue(fd, out var of))
            return Err(Errno.EBADF);
        return of.Uffd is { } ctx ? ctx.Ioctl(this, cmd, arg) : Err(Errno.ENOTTY);
    }

    /// <summary>
    /// read(2) of a userfaultfd: its messages, 32 bytes each. Returns <see cref="TaskStruct.Blocked"/> when the
    /// calling task sleeps waiting for one; it retries when woken. Reading a memfd is not modelled yet (ENOSYS).
    /// </summary>
    public long Read(int fd, UserPtr buf, ulong count)
    {
        if (!IsAlive)
            return Err(Errno.ESRCH);
        if (!_fds.TryGetValue(fd, out var of))
            return Err(Errno.EBADF);
        if (of.Pidfd is not null)
            return Err(Errno.EINVAL);
        if (of.Uffd is not { } ctx)
            return Err(Errno.ENOSYS);
        return ctx.Read(this, Current, buf, count, nonBlock: (of.StatusFlags & OpenFlags.O_NONBLOCK) != 0);
    }

    /// <summary>copy_from_user(): from a caller's buffer, or from this process's memory as the kernel reads it.</summary>
    internal bool CopyFromUser(UserPtr src, Span<byte> into)
    {
        if (src.Buffer is { } buffer)
        {
            if (src.Address > (ulong)buffer.Length || (ulong)buffer.Length - src.Address < (ulong)into.Length)
                return false;
            buffer.AsSpan((int)src.Address, into.Length).CopyTo(into);
            return true;
        }
        return src.Address != 0 && !LoadAs(src.Address, into, user: false).Faulted;
    }

    /// <summary>copy_to_user(): into a caller's buffer, or into this process's memory as the kernel writes it.</summary>
    internal bool CopyToUser(UserPtr dst, ReadOnlySpan<byte> data)
    {
        if (dst.Buffer is { } buffer)
        {
            if (dst.Address > (ulong)buffer.Length || (ulong)buffer.Length - dst.Address < (ulong)data.Length)
                return false;
            data.CopyTo(buffer.AsSpan((int)dst.Address));
            return true;
        }
        return dst.Address != 0 && !StoreAs(dst.Address, data, user: false).Faulted;
    }

    // ---- processes and limits ----

    /// <summary>A new task in this thread group (copy_process() with CLONE_THREAD); see <see cref="TaskStruct.Clone"/>.</summary>
    internal TaskStruct AddThread(TaskStruct creator)
    {
        var task = new TaskStruct(this, Kernel.AllocPid()) { Capabilities = creator.Capabilities };
        _tasks.Add(task);
        Kernel.AddTask(task);
        return task;
    }

    /// <summary>do_exit() of one task: the last one to go takes the process with it, with its exit code.</summary>
    internal void ExitThread(TaskStruct task, int code)
    {
        task.CancelWait();
        task.HasExited = true;
        _tasks.Remove(task);
        // A thread other than the leader is reaped at once; an exited leader stays until the group ends.
        if (!task.IsLeader)
            Kernel.RemoveTask(task);
        if (_tasks.Count == 0)
            Die(0, code);
    }

    /// <summary>
    /// fork(2) (kernel/fork.c copy_process()): returns the child's pid in the parent. When VMAs are registered with a
    /// userfaultfd that asked for UFFD_FEATURE_EVENT_FORK, the caller sleeps until the monitor has read one FORK
    /// event per such context, and the child does not run before that.
    /// </summary>
    public long Fork()
    {
        if (!TryGetMm(out var mm))
            return Err(Errno.ESRCH);
        if (Current.PendingEvents is not null)
            return UserfaultfdCtx.Continue(Current);
        var child = new Process(Kernel, Kernel.AllocPid()) { ParentPid = Pid };
        Array.Copy(_rlimits, child._rlimits, _rlimits.Length);
        child.Leader.Capabilities = Current.Capabilities;
        // copy_files() comes before copy_mm(): while fork waits for its events, the child's table holds every file.
        foreach (var (fd, of) in _fds)
        {
            of.RefCount++;
            child._fds[fd] = of;
        }
        mm.BeginUffdEvents();
        bool copied = mm.DupMmap(child.Mm!);
        // dup_userfaultfd_fail() on failure: the contexts made for the child go with it, unannounced.
        var events = mm.EndUffdEvents();
        if (!copied)
        {
            child.Mm!.ExitMmap();
            foreach (var of in child._fds.Values)
                PutOpenFile(of);
            return Err(Errno.ENOMEM);
        }
        Kernel.AddProcess(child);
        if (events is null)
            return child.Pid;
        // dup_userfaultfd_complete(): the child exists (its memory is the machine's), but nobody can reach it yet.
        child.Embryo = true;
        var batch = new UffdEventBatch(events, child.Pid)
        {
            Then = () =>
            {
                child.Embryo = false;
                return child.Pid;
            },
            // A fatal signal ends the fork: copy_process() fails and the child is freed.
            Abort = () => child.Die(Signal.SIGKILL, 0),
        };
        return UserfaultfdCtx.Deliver(Current, batch);
    }

    /// <summary>
    /// A child whose fork() has not returned: it waits for the FORK events of its parent's userfaultfds to be read.
    /// It is not in the task list yet: signals to a process group and the OOM killer pass it by.
    /// </summary>
    internal bool Embryo { get; private set; }

    public long ExitGroup(int code)
    {
        if (!IsAlive)
            return Err(Errno.ESRCH);
        Die(0, code & 0xff);
        return 0;
    }

    /// <summary>
    /// kill(2). All simulated processes form one process group led by the first process, so pid 0 and
    /// -(first pid) signal all of them and -1 all but the caller; any other group is ESRCH.
    /// Signals whose default action is to terminate end the target; SIGCHLD, SIGCONT, SIGURG and SIGWINCH are
    /// ignored by default; stop signals are accepted and have no effect in the model.
    /// </summary>
    public long Kill(int pid, int sig)
    {
        if (!IsAlive)
            return Err(Errno.ESRCH);
        if (sig < 0 || sig > 64)
            return Err(Errno.EINVAL);
        List<Process> targets;
        if (pid > 0)
        {
            // kill(2) finds any task by its id and signals its whole thread group.
            if (Kernel.FindTask(pid) is not { } one)
                return Err(Errno.ESRCH);
            targets = [one.Process];
        }
        else if (pid == 0 || pid == -Kernel.Init.Pid || pid == -1)
        {
            targets = [.. Kernel.Processes.Where(p => !p.Embryo)];
            if (pid == -1)
                targets.Remove(this);
            if (targets.Count == 0)
                return Err(Errno.ESRCH);
        }
        else
        {
            return Err(Errno.ESRCH);
        }
        if (sig is 0 or Signal.SIGCHLD or Signal.SIGCONT or Signal.SIGURG or Signal.SIGWINCH
            or Signal.SIGSTOP or Signal.SIGTSTP or Signal.SIGTTIN or Signal.SIGTTOU)
            return 0;
        // The caller last, so it finishes sending before it dies.
        foreach (var t in targets)
        {
            if (t != this)
                t.Die(sig, 0);
        }
        if (targets.Contains(this))
            Die(sig, 0);
        return 0;
    }

    public long Getpid() => Pid;

    /// <summary>
    /// do_exit(): tear down the address space (exit_mmap()) and close every file. Children are reaped at once,
    /// as with SIGCHLD ignored, so the pid is gone afterwards.
    /// </summary>
    internal void Die(int signal, int code)
    {
        if (!IsAlive)
            return;
        IsAlive = false;
        KilledBySignal = signal;
        ExitCode = code;
        foreach (var task in _tasks)
        {
            task.CancelWait();
            task.HasExited = true;
            if (!task.IsLeader)
                Kernel.RemoveTask(task);
        }
        _tasks.Clear();
        Mm?.ExitMmap();
        foreach (var of in _fds.Values)
            PutOpenFile(of);
        _fds.Clear();
        Mm = null;
        Kernel.RemoveProcess(this);
    }

    public long Setrlimit(int resource, RLimit limit) => Prlimit64(0, resource, limit, out _);

    public long Getrlimit(int resource, out RLimit limit) => Prlimit64(0, resource, null, out limit);

    /// <summary>prlimit64(2) (kernel/sys.c do_prlimit()): <paramref name="newLimit"/> null means NULL.</summary>
    public long Prlimit64(int pid, int resource, RLimit? newLimit, out RLimit oldLimit)
    {
        oldLimit = default;
        if (!IsAlive)
            return Err(Errno.ESRCH);
        var target = pid == 0 ? this : Kernel.FindTask(pid)?.Process;
        if (target is null)
            return Err(Errno.ESRCH);
        if ((uint)resource >= Rlimit.RLIM_NLIMITS)
            return Err(Errno.EINVAL);
        if (newLimit is { } n)
        {
            if (n.Cur > n.Max)
                return Err(Errno.EINVAL);
            if (resource == Rlimit.RLIMIT_NOFILE && n.Max > 1048576)
                return Err(Errno.EPERM);
        }
        oldLimit = target._rlimits[resource];
        if (newLimit is { } nl)
        {
            if (nl.Max > oldLimit.Max && !HasCapSysResource)
                return Err(Errno.EPERM);
            target._rlimits[resource] = nl;
        }
        return 0;
    }

    // ---- CPU accesses ----

    /// <summary>CPU stores of data at addr, page by page; stops at the first fault.</summary>
    public AccessResult Store(ulong addr, ReadOnlySpan<byte> data) => StoreAs(addr, data, user: true);

    private AccessResult StoreAs(ulong addr, ReadOnlySpan<byte> data, bool user)
    {
        if (!TryGetMm(out var mm))
            return AccessResult.Killed;
        while (!data.IsEmpty)
        {
            var r = mm.AccessPage(addr, write: true, out int pfn, user);
            if (r.Faulted)
                return r;
            int off = (int)(addr & 4095);
            int n = Math.Min(4096 - off, data.Length);
            data[..n].CopyTo(Kernel.Phys.Data(pfn)[off..]);
            data = data[n..];
            addr += (ulong)n;
        }
        return AccessResult.Ok;
    }

    /// <summary>CPU stores of length copies of value at addr (a memset by the process).</summary>
    public AccessResult Fill(ulong addr, ulong length, byte value)
    {
        Span<byte> page = stackalloc byte[4096];
        page.Fill(value);
        while (length > 0)
        {
            int n = (int)Math.Min(4096 - (addr & 4095), length);
            var r = Store(addr, page[..n]);
            if (r.Faulted)
                return r;
            length -= (ulong)n;
            addr += (ulong)n;
        }
        return IsAlive ? AccessResult.Ok : AccessResult.Killed;
    }

    /// <summary>CPU loads from addr into <paramref name="into"/>; stops at the first fault.</summary>
    public AccessResult Load(ulong addr, Span<byte> into) => LoadAs(addr, into, user: true);

    private AccessResult LoadAs(ulong addr, Span<byte> into, bool user)
    {
        if (!TryGetMm(out var mm))
            return AccessResult.Killed;
        while (!into.IsEmpty)
        {
            var r = mm.AccessPage(addr, write: false, out int pfn, user);
            if (r.Faulted)
                return r;
            int off = (int)(addr & 4095);
            int n = Math.Min(4096 - off, into.Length);
            Kernel.Phys.Data(pfn).Slice(off, n).CopyTo(into);
            into = into[n..];
            addr += (ulong)n;
        }
        return AccessResult.Ok;
    }

    /// <summary>One access per page of [addr, addr+length), in address order; stops at the first fault.</summary>
    public AccessResult Touch(ulong addr, ulong length, Access access)
    {
        if (!TryGetMm(out var mm))
            return AccessResult.Killed;
        bool write = (access & Access.Write) != 0;
        ulong end = addr + length;
        for (ulong a = addr; a < end; a = (a & ~4095UL) + 4096)
        {
            var r = mm.AccessPage(a, write, out _);
            if (r.Faulted)
                return r;
        }
        return AccessResult.Ok;
    }

    /// <summary>copy_to_user(): a kernel store into this process's memory; false (EFAULT) if it faults.</summary>
    internal bool CopyToUser(ulong addr, ReadOnlySpan<byte> data) => CopyToUser(UserPtr.At(addr), data);

    // ---- observation (/proc/PID/...) ----

    // /proc/PID is the group leader's view: once the leader has exited while its threads run on, it has no mm, so
    // maps and smaps are empty and smaps_rollup cannot be opened (ESRCH), as on Linux.
    private MmStruct? ProcMm => Leader.HasExited ? null : Mm;

    public string ProcMaps() => ProcMm is { } mm ? ProcFs.Maps(mm) : "";
    public string ProcSmaps() => ProcMm is { } mm ? ProcFs.Smaps(mm) : "";

    /// <summary>/proc/PID/smaps_rollup, or null where opening it fails with ESRCH (no mm: the leader has exited).</summary>
    public string? ProcSmapsRollup() => ProcMm is { } mm ? ProcFs.SmapsRollup(mm) : null;
    public string ProcStatus() => ProcFs.Status(this);

    /// <summary>The smaps entry of the VMA containing addr, or null.</summary>
    public string? ProcSmapsEntry(ulong addr) => ProcMm is { } mm && mm.Vmas.Find(addr) is { } v ? ProcFs.SmapsEntry(mm, v) : null;

    /// <summary>
    /// The /proc/PID/pagemap entry of the page containing <paramref name="addr"/> (present, swapped, file,
    /// exclusive, uffd-wp, guard bits; no PFN), as the process reads its own. 0 where nothing is mapped.
    /// </summary>
    public ulong Pagemap(ulong addr) => ProcMm is { } mm && addr < MmStruct.TaskSize ? ProcFs.PagemapEntry(mm, addr) : 0;

    /// <summary>
    /// /proc/kpageflags of the page mapped at <paramref name="addr"/> (the KPF_* bits the model keeps: referenced,
    /// dirty, lru, active, mmap, anon, swapcache, swapbacked, unevictable, zero page, mlocked), or null when no
    /// page is mapped there.
    /// </summary>
    public ulong? KpageFlags(ulong addr) =>
        ProcMm is { } mm && addr < MmStruct.TaskSize ? ProcFs.KpageFlags(mm, addr) : null;

    /// <summary>How many VMAs intersect [lo, hi).</summary>
    public int VmaCount(ulong lo, ulong hi) => Mm?.Vmas.CountIntersecting(lo, hi) ?? 0;

    public override string ToString() => $"pid {Pid}";
}
