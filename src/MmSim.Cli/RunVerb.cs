using System.CommandLine;
using MmSim.Scenario;

namespace MmSim.Cli;

/// <summary><c>mmsim run FILE... [--dump maps|smaps|status|vmstat] [--validate] [--kernel] [--swap SIZE] [--ram SIZE]</c></summary>
internal sealed class RunVerb
{
    private readonly CliContext _context;
    private readonly Argument<string[]> _files = new("FILE")
    {
        Description = "Scenario files (*.mms) to run, in order.",
        Arity = ArgumentArity.OneOrMore,
    };
    private readonly Option<string?> _dump = new("--dump")
    {
        Description = "After each file, print this /proc/PID view of every live process, or /proc/vmstat.",
        HelpName = "maps|smaps|status|vmstat",
    };
    private readonly Option<bool> _validate = new("--validate")
    {
        Description = "Check the model's invariants (Kernel.Validate) after every statement.",
    };
    private readonly Option<bool> _kernel = new("--kernel")
    {
        Description = "Run on this machine's Linux kernel (the kernel runner, as diff uses it) instead of the model: what the kernel does, line by line.",
    };

    private readonly Option<string?> _swap = new("--swap")
    {
        Description = "Start with a swap file of SIZE on (e.g. 64M; K, M, G and T suffixes), as a scenario's swapon_file(SIZE) would. On the kernel it needs root.",
        HelpName = "SIZE",
    };

    private readonly Option<string?> _ram = new("--ram")
    {
        Description = "The model's RAM (MemTotal), e.g. 64M; 4G by default. A small RAM puts a scenario under memory pressure: "
            + "kswapd and direct reclaim, then the OOM killer. The kernel target has this machine's RAM.",
        HelpName = "SIZE",
    };

    public RunVerb(CliContext context)
    {
        _context = context;
        _files.RejectingOptions();
        _dump.AcceptOnlyFromAmong("maps", "smaps", "status", "vmstat");
        Command = new Command("run",
            "Run scenario files, echoing each statement as strace would print it, with its actual result. "
            + "A file stops at its first unmet expectation, which is reported with FILE:LINE, expected and actual.")
        {
            _files, _dump, _validate, _kernel, _swap, _ram,
        };
        Command.SetAction(parse => (int)Execute(parse.GetValue(_files)!, parse.GetValue(_dump), parse.GetValue(_validate), parse.GetValue(_kernel),
            parse.GetValue(_swap), parse.GetValue(_ram)));
    }

    public Command Command { get; }

    private ExitCode Execute(string[] files, string? dump, bool validate, bool kernel, string? swap, string? ram)
    {
        ulong ramBytes = 0;
        if (ram is not null && (!SizeArgument.TryParse(ram, out ramBytes) || ramBytes < (1 << 20)))
        {
            _context.Error.WriteLine($"mmsim: --ram: expected a size of 1M or more, such as 64M, got '{ram}'");
            return ExitCode.BadInput;
        }
        if (ram is not null && kernel)
        {
            _context.Error.WriteLine("mmsim: --ram sizes the model's RAM; the kernel target has this machine's");
            return ExitCode.BadInput;
        }
        ulong swapBytes = 0;
        if (swap is not null && (!SizeArgument.TryParse(swap, out swapBytes) || swapBytes < 10 * 4096))
        {
            _context.Error.WriteLine($"mmsim: --swap: expected a size of 40K or more, such as 64M, got '{swap}'");
            return ExitCode.BadInput;
        }
        Func<IScenarioTarget> baseTarget = kernel ? _context.NewKernelTarget
            : ramBytes != 0 ? () => _context.NewModel(new MmSim.KernelConfig { RamBytes = ramBytes })
            : _context.NewTarget;
        Func<IScenarioTarget> newTarget = swapBytes == 0 ? baseTarget : () => WithSwap(baseTarget(), swapBytes);
        if (kernel && validate)
        {
            _context.Error.WriteLine("mmsim: --validate checks the model's invariants; it does not apply to --kernel");
            return ExitCode.BadInput;
        }
        var worst = ExitCode.Passed;
        foreach (var file in files)
        {
            if (files.Length > 1)
                _context.Output.WriteLine($"# {file}");
            FileResult result;
            try
            {
                result = ScenarioFile.Run(file, _context.Output, validate, newTarget,
                    dump is null ? null : target => Dump(target, dump));
            }
            catch (HostUnavailable e)
            {
                _context.Error.WriteLine($"mmsim: the host kernel cannot run scenarios here: {e.Message}");
                return ExitCode.BadInput;
            }
            catch (SwapUnavailable e)
            {
                _context.Error.WriteLine($"mmsim: --swap: {e.Message}");
                return ExitCode.BadInput;
            }
            if (result.Status != FileStatus.Passed)
                _context.Error.WriteLine(result.Report);
            worst = (ExitCode)Math.Max((int)worst, (int)result.ExitCode);
        }
        return worst;
    }

    /// <summary>The target with a swap file of <paramref name="bytes"/> turned on, or SwapUnavailable with the errno.</summary>
    private static IScenarioTarget WithSwap(IScenarioTarget target, ulong bytes)
    {
        long ret = target.Swapon(bytes);
        if (ret == 0)
            return target;
        target.Dispose();
        var errno = MmSim.Abi.ErrnoInfo.FromReturn(ret);
        throw new SwapUnavailable($"swapon of {bytes} bytes failed: {errno} ({MmSim.Abi.ErrnoInfo.Describe(errno)}){(ret == -(long)MmSim.Abi.Errno.EPERM ? " (the kernel target needs root)" : "")}");
    }

    private void Dump(IScenarioTarget target, string view)
    {
        if (view == "vmstat")
        {
            // Machine-wide, not per process.
            _context.Output.WriteLine("--- /proc/vmstat ---");
            _context.Output.Write(target.ProcVmstat());
            return;
        }
        // One live task per process: its threads would print the same files.
        foreach (var process in target.Processes.Where(p => p.IsAlive).DistinctBy(p => p.Tgid))
        {
            _context.Output.WriteLine($"--- /proc/{process.Tgid}/{view} ---");
            _context.Output.Write(view switch
            {
                "maps" => process.ProcMaps(),
                "smaps" => process.ProcSmaps(),
                _ => process.ProcStatus(),
            });
        }
    }
}
