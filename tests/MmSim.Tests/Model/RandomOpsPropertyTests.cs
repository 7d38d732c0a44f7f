using FsCheck;
using FsCheck.Fluent;
using MmSim.Abi;

namespace MmSim.Tests.Model;

/// <summary>
/// Random sequences of the core syscalls and accesses over a small arena, several processes and a memfd;
/// Validate() must hold after every step. The arena is 64 pages so operations collide, split and merge.
/// </summary>
public class RandomOpsPropertyTests
{
    private const ulong Arena = 0x100000000000;
    private const int ArenaPages = 64;

    /// <summary>One operation: a kind and four small random numbers it interprets.</summary>
    public readonly record struct Op(int Kind, int A, int B, int C, int D)
    {
        public override string ToString() => $"op{Kind}({A},{B},{C},{D})";
    }

    private static Gen<Op> OpsOfKinds(int lastKind) =>
        from kind in Gen.Choose(0, lastKind)
        from a in Gen.Choose(0, ArenaPages - 1)
        from b in Gen.Choose(1, 16)
        from c in Gen.Choose(0, 7)
        from d in Gen.Choose(0, 3)
        select new Op(kind, a, b, c, d);

    private static readonly Gen<Op> s_op = OpsOfKinds(15);

    // The same, with the reclaim advices and mlock too.
    private static readonly Gen<Op> s_pressureOp = OpsOfKinds(19);

    [Fact]
    public void ValidateHoldsAfterEveryStep()
    {
        var arb = Gen.ListOf(s_op, 60).Select(l => l.ToArray()).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(arb, ops => Run(ops, new KernelConfig { RamBytes = 64UL << 20, MaxMapCount = 40 })));
    }

    /// <summary>
    /// On a machine of 256 KiB (64 frames; vm.min_free_kbytes 16: watermarks 4, 5, 6) with 512 KiB of swap, four processes over the arena
    /// and the memfd keep kswapd, direct reclaim, swap-out, swap-in and the OOM killer busy.
    /// </summary>
    [Fact]
    public void ValidateHoldsAfterEveryStepUnderMemoryPressure()
    {
        var arb = Gen.ListOf(s_pressureOp, 80).Select(l => l.ToArray()).ToArbitrary();
        long reclaimed = 0, swappedIn = 0;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(arb, ops =>
        {
            var k = Run(ops, new KernelConfig { RamBytes = 256UL << 10, MinFreeKbytes = 16, SwapBytes = 512UL << 10, MaxMapCount = 40 });
            reclaimed += k.VmStat.PgStealKswapd + k.VmStat.PgStealDirect;
            swappedIn += k.VmStat.PswpIn;
        }));
        // The runs did meet the pressure they are about.
        Assert.True(reclaimed > 1000 && swappedIn > 0, $"reclaimed {reclaimed}, swapped in {swappedIn}");
    }

    private static Kernel Run(Op[] ops, KernelConfig config)
    {
        var k = new Kernel(config);
        int fd = (int)k.Init.MemfdCreate("arena", 0);
        k.Init.Ftruncate(fd, ArenaPages * 4096L);
        if (config.SwapBytes != 0)
        {
            // Under pressure from the start: the arena's first 48 pages private, the rest the memfd's, all written.
            k.Init.Mmap(Arena, 48 << 12, Prot.PROT_READ | Prot.PROT_WRITE, Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_FIXED, -1, 0);
            k.Init.Mmap(Arena + (48 << 12), 16 << 12, Prot.PROT_READ | Prot.PROT_WRITE, Map.MAP_SHARED | Map.MAP_FIXED, fd, 0);
            k.Init.Touch(Arena, ArenaPages << 12, Access.Write);
        }
        for (int i = 0; i < ops.Length; i++)
        {
            var procs = k.Processes.ToList();
            if (procs.Count == 0)
                return k;
            var op = ops[i];
            var p = procs[op.D % procs.Count];
            Apply(p, op, fd);
            try
            {
                k.Validate();
            }
            catch (InvariantViolationException e)
            {
                throw new InvalidOperationException($"after step {i} {op} in {p}: {e.Message}\nops: {string.Join(" ", ops.Take(i + 1))}", e);
            }
        }
        return k;
    }

    private static void Apply(Process p, Op op, int fd)
    {
        ulong addr = Arena + ((ulong)op.A << 12);
        ulong len = (ulong)op.B << 12;
        int prot = (op.C & 3) switch { 0 => Prot.PROT_NONE, 1 => Prot.PROT_READ, _ => Prot.PROT_READ | Prot.PROT_WRITE };
        switch (op.Kind)
        {
            case 0:
            case 1:
                p.Mmap(addr, len, prot, Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_FIXED, -1, 0);
                break;
            case 2:
                p.Mmap(addr, len, prot, Map.MAP_SHARED | Map.MAP_ANONYMOUS | Map.MAP_FIXED, -1, 0);
                break;
            case 3:
                p.Mmap(addr, len, prot, ((op.C & 4) != 0 ? Map.MAP_PRIVATE : Map.MAP_SHARED) | Map.MAP_FIXED, fd, (long)op.A % 8 << 12);
                break;
            case 4:
                p.Munmap(addr, len);
                break;
            case 5:
            case 6:
                p.Mprotect(addr, len, prot);
                break;
            case 7:
                p.Store(addr, [(byte)op.B, (byte)op.C]);
                break;
            case 8:
                p.Touch(addr, len, (op.C & 1) != 0 ? Access.Write : Access.Read);
                break;
            case 9:
                p.Madvise(addr, len, Madv.MADV_DONTNEED);
                break;
            case 10:
                p.Madvise(addr, len, op.C switch
                {
                    0 => Madv.MADV_DONTFORK,
                    1 => Madv.MADV_DOFORK,
                    2 => Madv.MADV_WIPEONFORK,
                    3 => Madv.MADV_KEEPONFORK,
                    4 => Madv.MADV_RANDOM,
                    _ => Madv.MADV_NORMAL,
                });
                break;
            case 11:
                if (p.Kernel.Processes.Count() < 4)
                    p.Fork();
                break;
            case 12:
                if (p != p.Kernel.Init)
                    p.ExitGroup(0);
                break;
            case 13:
                p.Ftruncate(fd, (long)op.B * 4096 * 4 + op.C * 100);
                break;
            case 14:
                p.Mincore(addr, len, Arena + ((ulong)op.C << 12));
                break;
            case 16:
                p.Madvise(addr, len, Madv.MADV_PAGEOUT);
                break;
            case 17:
                p.Madvise(addr, len, (op.C & 1) != 0 ? Madv.MADV_FREE : Madv.MADV_COLD);
                break;
            case 18:
                if ((op.C & 1) != 0)
                    p.Mlock(addr, len);
                else
                    p.Munlock(addr, len);
                break;
            case 19:
                p.Touch(addr, len, Access.Write);
                break;
            default:
                p.Load(addr, new byte[16]);
                break;
        }
    }
}
