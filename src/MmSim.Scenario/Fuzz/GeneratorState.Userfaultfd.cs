namespace MmSim.Scenario.Fuzz;

// The userfaultfd part of the op mix (FuzzOptions.Userfaultfd). The rules that keep every scenario valid:
//   - every userfaultfd is UFFD_USER_MODE_ONLY (a fault the kernel takes inside a syscall fails with EFAULT
//     instead of sleeping in the middle of it) and O_NONBLOCK (read() never sleeps);
//   - a process creates one userfaultfd at most, so one context serves its mm and UFFDIO_UNREGISTER through it
//     clears whatever is registered there; a fork child inherits the fd, which still acts on the parent's mm;
//   - the pages a blocking context may have registered are "unsafe" (FuzzProcess.Unsafe): plain accesses keep off
//     them, and only a fault episode's thread goes there, between `<unfinished ...>` and `<... resumed>`. A
//     registered VMA that grows (mremap in place, or a MAP_GROWSDOWN stack expanding over free pages below it)
//     takes its registration along, so those pages are unsafe too;
//   - a fault episode ends with UFFDIO_UNREGISTER and UFFDIO_WAKE over the range the thread accessed, which frees
//     it whatever happened meanwhile; the access may also never have blocked (the page was there, or not
//     registered), which diff accepts when both sides agree;
//   - write-protection only where a registration for WP exists, which makes the pages unsafe already;
//   - a context with events (REMAP, REMOVE, UNMAP) makes munmap, mremap, MAP_FIXED and MADV_DONTNEED of the pages it
//     may have registered (FuzzProcess.Registered, SIGBUS registrations included) block: those happen only in event
//     episodes, from a thread, followed by enough reads to let the call return;
//   - a context with UFFD_FEATURE_EVENT_FORK (only with capabilities: it needs CAP_SYS_PTRACE, raised just before the
//     handshake) makes every fork() of its mm block while it is open: forks there happen only in fork episodes,
//     which register a page of their own above the arena first, so that the FORK event surely comes, read it and
//     bind the child's new fd, may resolve a fault of the child through it, and close it, which leaves the child
//     with no registration.
internal sealed partial class GeneratorState
{
    /// <summary>
    /// A userfaultfd the generator opened: its fd variable, the process whose mm it serves (ctx->mm, whoever holds
    /// the fd), and whether a fault on a range it registers blocks (no UFFD_FEATURE_SIGBUS).
    /// </summary>
    private sealed record UffdHandle(string Variable, FuzzProcess Owner, bool Blocks)
    {
        /// <summary>The context asked for REMAP, REMOVE or UNMAP events: munmap, mremap, MAP_FIXED and MADV_DONTNEED of its ranges block.</summary>
        public bool Events { get; init; }

        /// <summary>UFFD_FEATURE_EVENT_REMAP: a moved VMA keeps its registration.</summary>
        public bool Remap { get; init; }

        /// <summary>UFFD_FEATURE_EVENT_FORK, with the handshake sure to succeed: fork() of the mm blocks.</summary>
        public bool ForkEvent { get; init; }
    }

    private static readonly (string, int)[] s_forkFeatures =
    [
        ("UFFD_FEATURE_EVENT_FORK", 3), ("UFFD_FEATURE_EVENT_FORK|UFFD_FEATURE_THREAD_ID", 1),
        ("UFFD_FEATURE_EVENT_FORK|UFFD_FEATURE_EVENT_REMAP|UFFD_FEATURE_EVENT_REMOVE|UFFD_FEATURE_EVENT_UNMAP", 2),
        ("UFFD_FEATURE_EVENT_FORK|UFFD_FEATURE_WP_UNPOPULATED", 1), ("UFFD_FEATURE_EVENT_FORK|UFFD_FEATURE_SIGBUS", 1),
    ];

    private static readonly (string, int)[] s_uffdFeatures =
    [
        ("0", 6), ("UFFD_FEATURE_SIGBUS", 2), ("UFFD_FEATURE_THREAD_ID", 2), ("UFFD_FEATURE_EXACT_ADDRESS", 1),
        ("UFFD_FEATURE_MISSING_SHMEM|UFFD_FEATURE_MINOR_SHMEM", 2), ("UFFD_FEATURE_THREAD_ID|UFFD_FEATURE_EXACT_ADDRESS", 1),
        ("UFFD_FEATURE_SIGBUS|UFFD_FEATURE_MINOR_SHMEM", 1), ("UFFD_FEATURE_WP_UNPOPULATED", 2),
        ("UFFD_FEATURE_WP_ASYNC", 1), ("UFFD_FEATURE_PAGEFAULT_FLAG_WP|UFFD_FEATURE_WP_HUGETLBFS_SHMEM", 1),
        ("UFFD_FEATURE_WP_UNPOPULATED|UFFD_FEATURE_THREAD_ID|UFFD_FEATURE_EXACT_ADDRESS", 1),
        ("UFFD_FEATURE_EVENT_REMAP|UFFD_FEATURE_EVENT_REMOVE|UFFD_FEATURE_EVENT_UNMAP", 8),
        ("UFFD_FEATURE_EVENT_UNMAP|UFFD_FEATURE_THREAD_ID", 1), ("UFFD_FEATURE_EVENT_REMOVE|UFFD_FEATURE_MINOR_SHMEM", 1),
        ("UFFD_FEATURE_EVENT_REMAP|UFFD_FEATURE_WP_UNPOPULATED", 1),
    ];

    private static readonly (string, int)[] s_registerModes =
    [
        ("UFFDIO_REGISTER_MODE_MISSING", 12), ("UFFDIO_REGISTER_MODE_MINOR", 4),
        ("UFFDIO_REGISTER_MODE_MISSING|UFFDIO_REGISTER_MODE_MINOR", 3), ("UFFDIO_REGISTER_MODE_WP", 5),
        ("UFFDIO_REGISTER_MODE_MISSING|UFFDIO_REGISTER_MODE_WP", 3), ("UFFDIO_REGISTER_MODE_MINOR|UFFDIO_REGISTER_MODE_WP", 2),
        ("0", 1), ("8", 1),
    ];

    private int _nextUffd;
    private int _nextThread;

    /// <summary>userfaultfd() and the UFFDIO_API handshake, in a process that has not made one; or a refused one.</summary>
    public string? Userfaultfd()
    {
        var p = PickProcess();
        if (Random.Chance(5))
            return $"{p.Prefix}userfaultfd(0x10)";
        // A new context only once the last one is released, closed in every live process (a dead one's fds are).
        if (p.OwnUffd is { } old)
        {
            if (_live.Exists(q => q.Uffds.Contains(old)))
                return null;
            ForgetRegistrations(p);
        }
        var fork = _options.Capabilities && Random.Chance(25);
        var features = Random.Weighted(fork ? s_forkFeatures : s_uffdFeatures);
        var handle = new UffdHandle($"u{_nextUffd++}", p, Blocks: !features.Contains("SIGBUS", StringComparison.Ordinal))
        {
            Events = features.Contains("EVENT_RE", StringComparison.Ordinal) || features.Contains("EVENT_UNMAP", StringComparison.Ordinal),
            Remap = features.Contains("EVENT_REMAP", StringComparison.Ordinal),
            ForkEvent = fork,
        };
        p.OwnUffd = handle;
        p.Uffds.Add(handle);
        var flags = Random.Chance(30) ? "UFFD_USER_MODE_ONLY|O_NONBLOCK|O_CLOEXEC" : "UFFD_USER_MODE_ONLY|O_NONBLOCK";
        // EVENT_FORK needs CAP_SYS_PTRACE in the effective set (EPERM otherwise).
        var raise = fork
            ? $"{p.Prefix}capset({{version=_LINUX_CAPABILITY_VERSION_3, pid=0}}, {{effective=1<<CAP_SYS_PTRACE, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}})\n"
            : "";
        return $"{raise}{p.Prefix}userfaultfd({flags}) = ${handle.Variable}\n"
            + $"{p.Prefix}ioctl(${handle.Variable}, UFFDIO_API, {{api=UFFD_API, features={features}}})";
    }

    /// <summary>UFFDIO_REGISTER of arena pages of the mm the fd serves; they become unsafe, registered or not.</summary>
    public string? UffdRegister()
    {
        var (p, h) = PickUffd();
        if (h is null)
            return null;
        var owner = h.Owner;
        var (page, pages) = PickRange(owner, preferMapped: true);
        MarkRegistered(owner, page, pages, h.Blocks);
        var start = Random.Chance(4) ? Addr(page, Random.Between(1, PageSize - 1)) : Addr(page);
        return $"{p.Prefix}ioctl(${h.Variable}, UFFDIO_REGISTER, {{range={{start={start}, len={Len(pages)}}}, mode={Random.Weighted(s_registerModes)}}})";
    }

    /// <summary>UFFDIO_UNREGISTER: the pages it covers are safe again, since no other context serves that mm.</summary>
    public string? UffdUnregister()
    {
        var (p, h) = PickUffd();
        if (h is null)
            return null;
        var owner = h.Owner;
        var (page, pages) = PickRange(owner, preferMapped: true);
        if (Random.Chance(5))
            return $"{p.Prefix}ioctl(${h.Variable}, UFFDIO_UNREGISTER, {{start={Addr(page, Random.Between(1, PageSize - 1))}, len={Len(pages)}}})";
        MarkSafe(owner, page, pages);
        return $"{p.Prefix}ioctl(${h.Variable}, UFFDIO_UNREGISTER, {{start={Addr(page)}, len={Len(pages)}}})";
    }

    /// <summary>UFFDIO_COPY, ZEROPAGE, CONTINUE or WAKE over arena pages, with no fault waiting, and their errors.</summary>
    public string? UffdFill()
    {
        var (p, h) = PickUffd();
        if (h is null)
            return null;
        var (page, pages) = PickRange(h.Owner, preferMapped: true);
        return p.Prefix + FillCall(h, page, pages);
    }

    /// <summary>A nonblocking read() of fault messages: EAGAIN when none is pending, EINVAL below 32 bytes.</summary>
    public string? UffdRead()
    {
        var (p, h) = PickUffd();
        if (h is null)
            return null;
        return $"{p.Prefix}read(${h.Variable}, ..., {Random.Weighted<int>([(32, 6), (64, 3), (96, 1), (16, 1)])})";
    }

    /// <summary>poll() with timeout 0 of the process's userfaultfds, now and then with a memfd, a closed fd or POLLOUT.</summary>
    public string? UffdPoll()
    {
        var (p, h) = PickUffd();
        if (h is null)
            return null;
        var entries = new List<string> { $"{{fd=${h.Variable}, events={(Random.Chance(85) ? "POLLIN" : "POLLOUT")}}}" };
        if (p.Fds.Count > 0 && Random.Chance(30))
            entries.Add($"{{fd=${Random.Pick(p.Fds)}, events=POLLIN|POLLOUT}}");
        if (Random.Chance(15))
            entries.Add("{fd=999, events=POLLIN}");
        return $"{p.Prefix}poll([{string.Join(", ", entries)}], {entries.Count}, 0)";
    }

    /// <summary>close() of a userfaultfd: the last reference releases the context, which clears its registrations.</summary>
    public string? UffdClose()
    {
        var (p, h) = PickUffd();
        if (h is null)
            return null;
        p.Uffds.Remove(h);
        if (!_live.Exists(q => q.Uffds.Contains(h)))
            ForgetRegistrations(h.Owner);
        return $"{p.Prefix}close(${h.Variable})";
    }

    /// <summary>
    /// A fault episode: a thread of the process accesses pages that may be registered, and may block there
    /// (<c>&lt;unfinished ...&gt;</c>); the process then reads messages, fills, wakes, and now and then unmaps,
    /// zaps, forks, closes the fd or dies under it; UFFDIO_UNREGISTER and UFFDIO_WAKE of the range end it, and the
    /// thread's access is resumed.
    /// </summary>
    public string? UffdFault()
    {
        var p = PickProcess();
        if (p.Uffds.Find(h => h.Owner == p && h.Blocks) is not { } h)
            return null;
        var lines = new List<string>();
        int page;
        var first = Array.IndexOf(p.Unsafe, true, Random.Below(Pages));
        if (first >= 0 && Random.Chance(30))
        {
            // Pages registered earlier, as they are now.
            page = Math.Max(0, first - Random.Below(2));
        }
        else
        {
            // Most episodes set the trap first: a mapped page, emptied, registered.
            page = PickPage(p, preferMapped: true);
            var count = Random.Between(1, Math.Min(4, Pages - page));
            if (Random.Chance(70) && !MayBlock(p, page, count))
                lines.Add($"{p.Prefix}madvise({Addr(page)}, {Len(count)}, MADV_DONTNEED)");
            var mode = Random.Weighted<string>([("UFFDIO_REGISTER_MODE_MISSING", 5), ("UFFDIO_REGISTER_MODE_MINOR", 2),
                ("UFFDIO_REGISTER_MODE_WP", 3), ("UFFDIO_REGISTER_MODE_MISSING|UFFDIO_REGISTER_MODE_WP", 1)]);
            lines.Add($"{p.Prefix}ioctl(${h.Variable}, UFFDIO_REGISTER, {{range={{start={Addr(page)}, len={Len(count)}}}, mode={mode}}})");
            if (mode.Contains("WP", StringComparison.Ordinal))
                lines.Add($"{p.Prefix}ioctl(${h.Variable}, UFFDIO_WRITEPROTECT, {{range={{start={Addr(page)}, len={Len(count)}}}, mode=UFFDIO_WRITEPROTECT_MODE_WP}})");
            MarkRegistered(p, page, count);
        }
        var pages = Random.Between(1, Math.Min(4, Pages - page));
        if (p.Faulter is null)
        {
            p.Faulter = $"t{_nextThread++}";
            lines.Add($"{p.Prefix}thread() = ${p.Faulter}");
        }
        var thread = $"[pid ${p.Faulter}] ";
        var (name, access) = Random.Below(3) switch
        {
            0 => ("touch", $"touch({Addr(page)}, {Len(pages)}, {(Random.Chance(50) ? "READ" : "WRITE")})"),
            1 => ("store", $"store({Addr(page, Random.Below(PageSize - 8))}, \"{(char)('a' + Random.Below(26))}{(char)('a' + Random.Below(26))}\")"),
            _ => ("load", $"load({Addr(page, Random.Below(PageSize - 16))}, {Random.Between(1, 16)})"),
        };
        lines.Add($"{thread}{access} <unfinished ...>");

        var steps = Random.Between(0, 4);
        var open = true;
        for (var i = 0; i < steps && open; i++)
        {
            switch (Random.Below(100))
            {
                case < 35:
                    lines.Add($"{p.Prefix}read(${h.Variable}, ..., {Random.Weighted<int>([(32, 3), (64, 1)])})");
                    break;
                case < 80:
                    var (from, count) = SubRange(page, pages);
                    lines.Add(p.Prefix + FillCall(h, from, count));
                    break;
                // With events, zapping or unmapping would block the monitor too: not here.
                case < 85 when !h.Events:
                    lines.Add($"{p.Prefix}madvise({Addr(page)}, {Len(pages)}, MADV_DONTNEED)");
                    break;
                case < 89 when !h.Events:
                    lines.Add($"{p.Prefix}munmap({Addr(page)}, {Len(pages)})");
                    Array.Fill(p.Mapped, false, page, pages);
                    break;
                case < 93 when _live.Count < _options.Procs && !ForkMayBlock(p):
                    lines.Add(ForkOf(p));
                    break;
                case < 97 when !_live.Exists(q => q != p && q.Uffds.Contains(h)):
                    // The last reference: release clears every registration and wakes every fault.
                    lines.Add($"{p.Prefix}close(${h.Variable})");
                    p.Uffds.Remove(h);
                    ForgetRegistrations(p);
                    open = false;
                    break;
                case >= 97 when p != _live[0]:
                    // The process dies under its blocked thread, which ends with it.
                    lines.Add(Random.Chance(50) ? $"kill(${p.Variable}, SIGKILL)" : $"{p.Prefix}exit_group({Random.Below(4)})");
                    lines.Add($"{thread}<... {name} resumed>");
                    _live.Remove(p);
                    return string.Join('\n', lines);
            }
        }
        if (open)
        {
            // Where a stack may grow, the retried access may land in a VMA that grew over the range from above,
            // registered: then only the whole arena will do.
            var (from, count) = p.GrowsDown ? (0, Pages) : (page, pages);
            lines.Add($"{p.Prefix}ioctl(${h.Variable}, UFFDIO_UNREGISTER, {{start={Addr(from)}, len={Len(count)}}})");
            lines.Add($"{p.Prefix}ioctl(${h.Variable}, UFFDIO_WAKE, {{start={Addr(from)}, len={Len(count)}}})");
            MarkSafe(p, from, count);
        }
        lines.Add($"{thread}<... {name} resumed>");
        return string.Join('\n', lines);
    }

    /// <summary>
    /// An event episode: in a process whose context asks for events, a thread unmaps, moves or zaps pages that may be
    /// registered (<c>&lt;unfinished ...&gt;</c>: it sleeps until each event is read); meanwhile the filling ioctls may
    /// find mmap_changing; the process reads up to four messages, enough for any of these calls over at most four
    /// pages (a REMOVE per VMA; UNMAP, REMAP, UNMAP for a move), and the call is resumed.
    /// </summary>
    public string? UffdEvents()
    {
        var p = PickProcess();
        if (p.OwnUffd is not { Events: true } h || !p.Uffds.Contains(h))
            return null;
        var first = Array.IndexOf(p.Registered, true, Random.Below(Pages));
        if (first < 0)
            first = Array.IndexOf(p.Registered, true);
        if (first < 0)
            return null;
        var page = first;
        var pages = Random.Between(1, Math.Min(4, Pages - page));
        var lines = new List<string>();
        if (p.Faulter is null)
        {
            p.Faulter = $"t{_nextThread++}";
            lines.Add($"{p.Prefix}thread() = ${p.Faulter}");
        }
        var thread = $"[pid ${p.Faulter}] ";
        string name;
        switch (Random.Below(3))
        {
            case 0:
                name = "munmap";
                lines.Add($"{thread}munmap({Addr(page)}, {Len(pages)}) <unfinished ...>");
                Array.Fill(p.Mapped, false, page, pages);
                MarkSafe(p, page, pages);
                break;
            case 1:
                name = "madvise";
                lines.Add($"{thread}madvise({Addr(page)}, {Len(pages)}, MADV_DONTNEED) <unfinished ...>");
                break;
            default:
                name = "mremap";
                var target = Random.Below(Pages - pages + 1);
                var dontUnmap = Random.Chance(25);
                lines.Add($"{thread}mremap({Addr(page)}, {Len(pages)}, {Len(pages)}, MREMAP_MAYMOVE|MREMAP_FIXED{(dontUnmap ? "|MREMAP_DONTUNMAP" : "")}, {Addr(target)}) <unfinished ...>");
                // With EVENT_REMAP the moved VMA keeps its registration; without, it loses it, but the pages stay
                // counted (a failed move leaves the target as it was).
                bool moved = Array.IndexOf(p.Registered, true, page, pages) >= 0 && h.Remap;
                if (!dontUnmap)
                    Array.Fill(p.Mapped, false, page, pages);
                Array.Fill(p.Mapped, true, target, pages);
                if (moved)
                    MarkRegistered(p, target, pages, h.Blocks);
                break;
        }
        if (Random.Chance(30))
            lines.Add(p.Prefix + FillCall(h, page, pages));
        for (var i = 0; i < 4; i++)
            lines.Add($"{p.Prefix}read(${h.Variable}, ..., 64)");
        lines.Add($"{thread}<... {name} resumed>");
        return string.Join('\n', lines);
    }

    /// <summary>Whether fork() of <paramref name="p"/> waits for a FORK event: its mm's context asks for them and is open somewhere.</summary>
    private bool ForkMayBlock(FuzzProcess p) =>
        p.OwnUffd is { ForkEvent: true } h && _live.Exists(q => q.Uffds.Contains(h));

    /// <summary>
    /// A fork episode in a process whose context asks for FORK events: a page above the arena is mapped and
    /// registered, so that the child's copy makes the event come; a thread forks (<c>&lt;unfinished ...&gt;</c>);
    /// meanwhile a filling ioctl may find mmap_changing; a process holding the fd reads the event, binding the new
    /// fd; fork is resumed. The child may fault on the page, resolved through the new fd; the new fd is closed,
    /// which leaves the child with no registration. Now and then the forking process is killed while it waits.
    /// </summary>
    private string ForkEventEpisode(FuzzProcess p)
    {
        var h = p.OwnUffd!;
        var reader = p.Uffds.Contains(h) ? p : _live.Find(q => q.Uffds.Contains(h))!;
        var trap = Addr(Pages + 1 + Random.Below(2));
        var lines = new List<string>
        {
            $"{p.Prefix}mmap({trap}, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0)",
            $"{p.Prefix}ioctl(${h.Variable}, UFFDIO_REGISTER, {{range={{start={trap}, len=4096}}, mode=UFFDIO_REGISTER_MODE_MISSING}})",
        };
        if (p.Faulter is null)
        {
            p.Faulter = $"t{_nextThread++}";
            lines.Add($"{p.Prefix}thread() = ${p.Faulter}");
        }
        var thread = $"[pid ${p.Faulter}] ";
        lines.Add($"{thread}fork() <unfinished ...>");
        if (Random.Chance(30))
            lines.Add(reader.Prefix + FillCall(h, Random.Below(Pages), 1));
        if (p != _live[0] && reader != p && Random.Chance(10))
        {
            // A fatal signal ends the fork: the child never runs.
            lines.Add($"kill(${p.Variable}, SIGKILL)");
            lines.Add($"{thread}<... fork resumed>");
            _live.Remove(p);
            return string.Join('\n', lines);
        }
        var ufd = $"f{_nextUffd++}";
        lines.Add($"{reader.Prefix}read(${h.Variable}, {{event=UFFD_EVENT_FORK, fork={{ufd=${ufd}}}}}, 32)");
        var child = NewChild(p);
        lines.Add($"{thread}<... fork resumed> = ${child.Variable}");
        if (h.Blocks && Random.Chance(60))
        {
            lines.Add($"{child.Prefix}load({trap}, 1) <unfinished ...>");
            lines.Add($"{reader.Prefix}read(${ufd}, ..., 32)");
            lines.Add(Random.Chance(50)
                ? $"{reader.Prefix}ioctl(${ufd}, UFFDIO_ZEROPAGE, {{range={{start={trap}, len=4096}}, mode=0}})"
                : $"{reader.Prefix}ioctl(${ufd}, UFFDIO_COPY, {{dst={trap}, src={Addr(Random.Below(Pages))}, len=4096, mode=0}})");
            lines.Add($"{reader.Prefix}ioctl(${ufd}, UFFDIO_WAKE, {{start={trap}, len=4096}})");
            // Closing the fd releases the context: a fault the fill did not resolve retries as an ordinary one.
            lines.Add($"{reader.Prefix}close(${ufd})");
            lines.Add($"{child.Prefix}<... load resumed>");
            return string.Join('\n', lines);
        }
        lines.Add($"{reader.Prefix}close(${ufd})");
        return string.Join('\n', lines);
    }

    /// <summary>One of the range ioctls over [page, page + pages) (COPY, ZEROPAGE, CONTINUE, POISON, WRITEPROTECT, MOVE, WAKE): mostly valid, sometimes with a bad mode or start.</summary>
    private string FillCall(UffdHandle h, int page, int pages)
    {
        var u = "$" + h.Variable;
        var start = Random.Chance(4) ? Addr(page, Random.Between(1, PageSize - 1)) : Addr(page);
        var dontWake = Random.Chance(20);
        switch (Random.Below(100))
        {
            case < 25:
                var mode = Random.Chance(4) ? "8" : Random.Chance(15) ? "UFFDIO_COPY_MODE_WP" : dontWake ? "UFFDIO_COPY_MODE_DONTWAKE" : "0";
                // The source is read from the caller's memory, in kernel mode: EFAULT where it is not mapped or would fault.
                var src = Addr(Random.Below(Pages - pages + 1));
                return $"ioctl({u}, UFFDIO_COPY, {{dst={start}, src={src}, len={Len(pages)}, mode={mode}}})";
            case < 40:
                return $"ioctl({u}, UFFDIO_ZEROPAGE, {{range={{start={start}, len={Len(pages)}}}, mode={(dontWake ? "UFFDIO_ZEROPAGE_MODE_DONTWAKE" : "0")}}})";
            case < 52:
                var continueMode = Random.Chance(15) ? "UFFDIO_CONTINUE_MODE_WP" : dontWake ? "UFFDIO_CONTINUE_MODE_DONTWAKE" : "0";
                return $"ioctl({u}, UFFDIO_CONTINUE, {{range={{start={start}, len={Len(pages)}}}, mode={continueMode}}})";
            case < 58:
                return $"ioctl({u}, UFFDIO_POISON, {{range={{start={start}, len={Len(pages)}}}, mode={(Random.Chance(10) ? "2" : dontWake ? "UFFDIO_POISON_MODE_DONTWAKE" : "0")}}})";
            case < 72:
                var wpMode = Random.Weighted<string>([("UFFDIO_WRITEPROTECT_MODE_WP", 5), ("0", 4), ("UFFDIO_WRITEPROTECT_MODE_DONTWAKE", 2),
                    ("UFFDIO_WRITEPROTECT_MODE_WP|UFFDIO_WRITEPROTECT_MODE_DONTWAKE", 1), ("4", 1)]);
                return $"ioctl({u}, UFFDIO_WRITEPROTECT, {{range={{start={start}, len={Len(pages)}}}, mode={wpMode}}})";
            case < 85:
                // Pages of the same mm, moved not copied; the source may overlap the destination.
                var from = Addr(Random.Below(Pages - pages + 1));
                var moveMode = Random.Weighted<string>([("0", 6), ("UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES", 3), ("UFFDIO_MOVE_MODE_DONTWAKE", 2),
                    ("UFFDIO_MOVE_MODE_DONTWAKE|UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES", 1), ("4", 1)]);
                return $"ioctl({u}, UFFDIO_MOVE, {{dst={start}, src={from}, len={Len(pages)}, mode={moveMode}}})";
            default:
                return $"ioctl({u}, UFFDIO_WAKE, {{start={start}, len={Len(pages)}}})";
        }
    }

    private (int Page, int Pages) SubRange(int page, int pages)
    {
        var from = page + Random.Below(pages);
        return (from, Random.Between(1, page + pages - from));
    }

    /// <summary>A process holding a userfaultfd and one of its handles; (p, null) when the picked process holds none.</summary>
    private (FuzzProcess Process, UffdHandle? Handle) PickUffd()
    {
        var p = PickProcess();
        return (p, p.Uffds.Count == 0 ? null : Random.Pick(p.Uffds));
    }

    /// <summary>
    /// Whether a munmap, mremap, MAP_FIXED or MADV_DONTNEED of [page, page + pages) in <paramref name="p"/> may produce
    /// a userfaultfd event, and so block: its mm's context asks for events, is still open somewhere, and may have
    /// registered a page of the range. A SIGBUS context never registers unsafe pages, but its events block all the
    /// same, so every registered page counts here.
    /// </summary>
    private bool MayBlock(FuzzProcess p, int page, int pages) =>
        p.OwnUffd is { Events: true } h && _live.Exists(q => q.Uffds.Contains(h))
        && Array.IndexOf(p.Registered, true, page, pages) >= 0;

    /// <summary>
    /// Pages a blocking context may register: unsafe from now on, and so is every page below them where a
    /// MAP_GROWSDOWN VMA may exist (the stack grows down over free pages, registration and all).
    /// </summary>
    private static void MarkRegistered(FuzzProcess p, int page, int pages, bool blocks = true)
    {
        int from = p.GrowsDown ? 0 : page;
        Array.Fill(p.Registered, true, from, page + pages - from);
        Array.Fill(p.EverRegistered, true, from, page + pages - from);
        if (blocks)
            Array.Fill(p.Unsafe, true, from, page + pages - from);
    }

    /// <summary>The context of this mm is gone: nothing is registered any more.</summary>
    private static void ForgetRegistrations(FuzzProcess p)
    {
        Array.Fill(p.Unsafe, false);
        Array.Fill(p.Registered, false);
    }

    /// <summary>
    /// Pages no context has registered any more (unregistered, or unmapped). Where a MAP_GROWSDOWN VMA may exist,
    /// a registered VMA above may still grow down over them: every page below the highest unsafe one stays unsafe.
    /// </summary>
    private static void MarkSafe(FuzzProcess p, int page, int pages)
    {
        foreach (var map in (ReadOnlySpan<bool[]>)[p.Unsafe, p.Registered])
        {
            Array.Fill(map, false, page, pages);
            if (p.GrowsDown && Array.LastIndexOf(map, true) is var highest and >= 0)
                Array.Fill(map, true, 0, highest);
        }
    }

    /// <summary>How many of the pages [page, page + pages) in a row, from the first, a plain access may touch.</summary>
    private static int SafeRun(FuzzProcess p, int page, int pages)
    {
        var unsafeAt = Array.IndexOf(p.Unsafe, true, page, pages);
        return unsafeAt < 0 ? pages : unsafeAt - page;
    }
}
