using Microsoft.Playwright;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// Debian's chromium driven by Playwright's bundled driver: headless, nothing downloaded, no sandbox (tests may run as
/// root in a container). Fails, never skips, when chromium is missing.
/// </summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath),
            $"{ExecutablePath} is not installed. Run the test command from the README (./run-tests), which installs the chromium package.");
        // Playwright looks for its own browsers only when asked to install them; this says so once more.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Timeout = 30_000,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }
}
