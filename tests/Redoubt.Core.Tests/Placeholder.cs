namespace Redoubt.Core.Tests;
