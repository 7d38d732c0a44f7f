namespace MmSim.Host;

/// <summary>
/// This machine cannot run scenarios on its kernel: it is not Linux on x86-64, no C compiler was found to build
/// the runner, or the runner could not start. The message says which, in plain words.
/// </summary>
public sealed class HostUnavailableException(string message) : Exception(message);
