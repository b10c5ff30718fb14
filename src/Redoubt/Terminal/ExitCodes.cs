namespace Redoubt.Terminal;

public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The command ran and failed: invalid file, unknown resource, no control plane, refused switchover.</summary>
    public const int Failure = 1;
    /// <summary>The command line itself was wrong, or the command is not part of this build.</summary>
    public const int Usage = 2;
    /// <summary>Interrupted by Ctrl-C before finishing, as shells report SIGINT.</summary>
    public const int Interrupted = 130;
}
