namespace Attribution.Hosting;

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

/// <summary>The exit codes of every command (CONTRACT §1).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int NotFound = 1;
    public const int Usage = 2;
    public const int Failure = 3;
}
