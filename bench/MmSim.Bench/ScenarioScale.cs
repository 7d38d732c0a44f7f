using System.Text;
using BenchmarkDotNet.Attributes;
using MmSim.Scenario;

namespace MmSim.Bench;

/// <summary>
/// Scale through the scenario language, the path <c>mmsim run</c> takes: the scenario text parsed and run on a
/// fresh model, echo discarded. <see cref="Shape.Vmas"/>: one mapping of 64,000 pages, every other page made read-only
/// by its own mprotect line (32,000 statements), then a vma_count() check of 64,000 VMAs and the munmap. (64,000
/// and not 65,530 so that the kernel twin, in a .NET process that has a few hundred VMAs of its own, stays under
/// vm.max_map_count.) <see cref="Shape.Statements"/>: 200,000 statements, 50,000 times mmap(MAP_FIXED) a page, store,
/// load with a check, munmap. The kernel twins make the same syscalls and accesses natively.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("scenario scale")]
public class ScenarioScale : PairedBenchmark
{
    public const int VmaPages = 64_000;
    public const int StatementBlocks = 50_000;

    public enum Shape
    {
        Vmas,
        Statements,
    }

    [Params(Shape.Vmas, Shape.Statements)]
    public Shape Scenario { get; set; }

    private string _text = "";

    [Benchmark(Baseline = true)]
    public long Kernel() => Scenario == Shape.Vmas
        ? Check(KernelBench.ManyVmas(VmaPages), "kernel many VMAs")
        : Check(KernelBench.StatementBlocks(StatementBlocks), "kernel statement blocks");

    [GlobalSetup(Target = nameof(Model))]
    public void SetupModel()
    {
        _text = Scenario == Shape.Vmas ? ManyVmasText() : StatementsText();
        Model();
    }

    [GlobalCleanup(Target = nameof(Kernel))]
    public void CleanupKernel() => PeakMemory.Record(nameof(ScenarioScale), nameof(Kernel), Scenario.ToString());

    [GlobalCleanup(Target = nameof(Model))]
    public void CleanupModel() => PeakMemory.Record(nameof(ScenarioScale), nameof(Model), Scenario.ToString());

    [Benchmark]
    public long Model()
    {
        var script = ScenarioParser.Parse(_text, "scale.mms");
        using var target = new ModelTarget(new KernelConfig { RamBytes = 8 * GiB });
        var result = new ScenarioRunner(TextWriter.Null).Run(script, target);
        if (result.Failure is { } failure)
            throw new InvalidOperationException(failure.ToString());
        return script.Statements.Count;
    }

    private static string ManyVmasText()
    {
        var sb = new StringBuilder();
        sb.Append($"mmap(0x{Base:x}, {VmaPages * 4096L}, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a\n");
        for (int i = 1; i < VmaPages; i += 2)
            sb.Append($"mprotect($a+{i * 4096L}, 4K, PROT_READ) = 0\n");
        sb.Append($"vma_count($a, $a+{VmaPages * 4096L}) = {VmaPages}\n");
        sb.Append($"munmap($a, {VmaPages * 4096L}) = 0\n");
        return sb.ToString();
    }

    private static string StatementsText()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < StatementBlocks; i++)
        {
            sb.Append($"mmap(0x{Base:x}, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x{Base:x}\n");
            sb.Append($"store(0x{Base:x}, \"hello\")\n");
            sb.Append($"load(0x{Base:x}, 5) = \"hello\"\n");
            sb.Append($"munmap(0x{Base:x}, 4K) = 0\n");
        }
        return sb.ToString();
    }
}
