namespace Attribution.Common;

/// <summary>
/// A command failed in a way the user can act on: its message is printed as one line on stderr and the
/// process exits with <see cref="ExitCode"/> (1 not found, 2 usage or input error).
/// </summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException NotFound(string message) => new(ExitCodes.NotFound, message);

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}
