using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace MmSim.Bench;

public static class Program
{
    /// <summary>
    /// BenchmarkDotNet's command line, plus <c>--quick</c> for <c>--job short</c>. All the classes that run go
    /// into one joined summary, grouped by category (one operation: Kernel, the baseline, and Model), with the
    /// median and a rate (pairs/s, faults/s, pages/s) next to the mean.
    /// </summary>
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .WithOptions(ConfigOptions.JoinSummary)
            .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory)
            .AddColumn(StatisticColumn.Median, new RateColumn(), new PeakMemoryColumn())
            .HideColumns(Column.AllocRatio); // NA throughout: the kernel side allocates no managed memory
        string[] bdnArgs = [.. args.SelectMany(a => a == "--quick" ? ["--job", "short"] : new[] { a })];
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(bdnArgs, config);
    }
}
