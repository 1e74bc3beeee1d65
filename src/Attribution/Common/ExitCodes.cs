namespace Attribution.Common;

/// <summary>The exit codes of every command (CONTRACT §1).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int NotFound = 1;
    public const int Usage = 2;
    public const int Failure = 3;
}
