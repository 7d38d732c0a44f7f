using MmSim.Cli;

return MmSimCli.Run(args, Console.Out, Console.Error);
