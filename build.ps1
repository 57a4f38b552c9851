<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks PSContainer.
.DESCRIPTION
    Tasks: Bootstrap (host prerequisites, Pester), Build (stages out/PSContainer), Test (xunit + Pester),
    Demo (bootstrap, build, import the offline busybox image, run a container), Bench.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Demo
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Bootstrap', 'Build', 'Test', 'UnitTest', 'PesterTest', 'Demo', 'Bench')]
    [string[]] $Task = @('Build'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # PesterTest only: the test files to run (names or wildcards under tests/Pester, or paths); all when omitted.
    [string[]] $PesterFile = @('*.Tests.ps1'),
    # UnitTest only: a dotnet test filter expression (for example 'FullyQualifiedName~Layers'); all when omitted.
    [string] $UnitFilter,
    # UnitTest and PesterTest: use the module and test binaries as they are instead of building first.
    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleDir = Join-Path $Out 'PSContainer'
$ToolsDir = Join-Path $Root '.tools'
$PesterVersion = '5.9.1'
$AptPackages = @('crun', 'runc', 'conmon', 'busybox-static', 'iproute2', 'containernetworking-plugins', 'iptables',
    'docker-registry', 'skopeo', 'podman', 'buildah', 'umoci', 'podman-compose', 'docker-compose', 'catatonit', 'tini',
    'aardvark-dns', 'netavark', 'gcc', 'libc6-dev', 'zlib1g-dev', 'tmux', 'apache2-utils', 'openssl', 'zstd', 'dnsutils', 'python3')

function Invoke-Native([string] $File, [string[]] $Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Bootstrap {
    $missing = $AptPackages | Where-Object { -not (& dpkg-query -W -f='${Status}' $_ 2>$null | Select-String 'install ok installed') }
    if ($missing) {
        Write-Host "Installing: $($missing -join ' ')"
        $env:DEBIAN_FRONTEND = 'noninteractive'
        Invoke-Native apt-get @('update', '-qq')
        Invoke-Native apt-get (@('install', '-y', '-qq', '--no-install-recommends') + $missing)
    }
    $pester = Join-Path $ToolsDir "pester/$PesterVersion"
    if (-not (Test-Path (Join-Path $pester 'tools/Pester.psd1'))) {
        New-Item -ItemType Directory -Force -Path $ToolsDir | Out-Null
        Invoke-Native dotnet @('package', 'download', "Pester@$PesterVersion", '--output', (Join-Path $ToolsDir 'pester'))
        $downloaded = Get-ChildItem (Join-Path $ToolsDir 'pester') -Recurse -Filter Pester.psd1 | Where-Object { $_.Directory.Name -eq 'tools' } | Select-Object -First 1
        if (-not $downloaded) { throw 'Pester was not downloaded.' }
        $packageDir = $downloaded.Directory.Parent.FullName
        if ($packageDir -ne $pester) {
            New-Item -ItemType Directory -Force -Path (Split-Path $pester) | Out-Null
            if (Test-Path $pester) { Remove-Item -Recurse -Force $pester }
            Move-Item $packageDir $pester
        }
    }
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $Root 'src/PSContainer.ExitCommand/PSContainer.ExitCommand.csproj'), '-c', $Configuration, '--nologo', '-v', 'q')
    Invoke-Native dotnet @('build', (Join-Path $Root 'src/PSContainer.Api/PSContainer.Api.csproj'), '-c', $Configuration, '--nologo', '-v', 'q')
    $bin = Join-Path $Root "src/PSContainer/bin/$Configuration/net10.0"
    $exitBin = Join-Path $Root "src/PSContainer.ExitCommand/bin/$Configuration/net10.0"
    $apiBin = Join-Path $Root "src/PSContainer.Api/bin/$Configuration/net10.0"
    if (Test-Path $ModuleDir) { Remove-Item -Recurse -Force $ModuleDir }
    New-Item -ItemType Directory -Force -Path $ModuleDir | Out-Null
    Copy-Item (Join-Path $bin '*.dll') $ModuleDir
    # The exit program conmon runs: it loads the engine from PSContainer.dll beside it.
    Copy-Item (Join-Path $exitBin 'pscontainer-exit.*') $ModuleDir
    # The Docker Engine API server (Start-ContainerApiServer): Kestrel comes from the shared framework.
    Copy-Item (Join-Path $apiBin 'pscontainer-api.*') $ModuleDir
    # The same program compiled ahead of time runs as the store's health monitor: one process for all
    # healthchecked containers, at a tenth of a .NET runtime's memory (README: Healthchecks).
    # Compiling it takes a minute or two, so it is redone only when a source file is newer than the binary.
    $aotDir = Join-Path $Root "src/PSContainer.ExitCommand/bin/$Configuration/aot"
    $aotBinary = Join-Path $aotDir 'pscontainer-exit'
    $newestSource = Get-ChildItem (Join-Path $Root 'src') -Recurse -File -Include *.cs, *.csproj, *.props |
        Where-Object FullName -NotMatch '/(bin|obj)/' | Measure-Object -Property LastWriteTimeUtc -Maximum
    if (-not (Test-Path $aotBinary) -or (Get-Item $aotBinary).LastWriteTimeUtc -lt $newestSource.Maximum) {
        Invoke-Native dotnet @('publish', (Join-Path $Root 'src/PSContainer.ExitCommand/PSContainer.ExitCommand.csproj'), '-c', $Configuration,
            '-r', [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier, '-p:PublishAot=true', '-p:UseAppHost=true',
            '-o', $aotDir, '--nologo', '-v', 'q', '-clp:ErrorsOnly')
    }
    Copy-Item $aotBinary (Join-Path $ModuleDir 'pscontainer-health')
    Copy-Item (Join-Path $Root 'module/*') $ModuleDir -Recurse
    $pwsh = Join-Path $PSHOME 'pwsh'
    Invoke-Native $pwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tools/New-ModuleHelp.ps1'),
        '-ModuleDir', $ModuleDir, '-DocsDir', (Join-Path $Root 'docs/help'), '-XmlDocPath', (Join-Path $bin 'PSContainer.xml'))
    Write-Host "Module staged in $ModuleDir"
}

function New-BusyboxRootfs([string] $Path) {
    $busybox = '/bin/busybox'
    if (-not (Test-Path $busybox)) { throw 'busybox-static is not installed (apt-get install busybox-static).' }
    $work = Join-Path ([IO.Path]::GetTempPath()) ("busybox-rootfs-" + [guid]::NewGuid().ToString('N'))
    foreach ($dir in 'bin', 'etc', 'tmp', 'root', 'proc', 'sys', 'dev', 'var/www', 'home') { New-Item -ItemType Directory -Force -Path (Join-Path $work $dir) | Out-Null }
    Copy-Item $busybox (Join-Path $work 'bin/busybox')
    foreach ($applet in (& $busybox --list)) {
        if ($applet -ne 'busybox') { & ln -s busybox (Join-Path $work "bin/$applet") }
    }
    [IO.File]::WriteAllText((Join-Path $work 'etc/passwd'), "root:x:0:0:root:/root:/bin/sh`nnobody:x:65534:65534:nobody:/home:/bin/false`nwww:x:1000:1000:www:/var/www:/bin/sh`n")
    [IO.File]::WriteAllText((Join-Path $work 'etc/group'), "root:x:0:`nnogroup:x:65534:`nwww:x:1000:`nstaff:x:50:www`n")
    & chmod 1777 (Join-Path $work 'tmp')
    Invoke-Native tar @('-C', $work, '--numeric-owner', '--owner=0', '--group=0', '-czf', $Path, '.')
    Remove-Item -Recurse -Force $work
}

function Invoke-Demo {
    Invoke-Bootstrap
    Invoke-Build
    Import-Module (Join-Path $ModuleDir 'PSContainer.psd1') -Force
    Test-ContainerEngine | Format-Table -AutoSize | Out-Host
    $rootfs = Join-Path $Out 'busybox-rootfs.tar.gz'
    New-BusyboxRootfs $rootfs
    Import-Image -Path $rootfs -Tag busybox:latest -Change 'CMD ["sh"]' | Format-Table | Out-Host
    Write-Host 'Running: Invoke-Container busybox sh, -c, ''echo Hello from $(hostname) in a PSContainer; uname -sr'''
    Invoke-Container busybox sh, -c, 'echo Hello from $(hostname) in a PSContainer; uname -sr' | Out-Host
    $web = New-Container busybox -Name demo-web -Memory 64MB -Command sh, -c, 'echo started; sleep 300'
    $web | Start-Container
    Get-Container | Format-Table | Out-Host
    $web | Remove-Container -Force
}

function Invoke-UnitTest {
    $results = Join-Path $Out 'unit-results'
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }
    # Out-Host: the test run's output must not become part of this function's return value, which is the verdict.
    $arguments = @('test', (Join-Path $Root 'tests/Unit/PSContainer.Tests.csproj'), '-c', $Configuration, '--nologo',
        '--logger', 'trx;LogFileName=unit.trx', '--results-directory', $results)
    if ($UnitFilter) { $arguments += @('--filter', $UnitFilter) }
    if ($NoBuild) { $arguments += '--no-build' }
    & dotnet @arguments | Out-Host
    $unitExit = $LASTEXITCODE
    $trx = Get-ChildItem $results -Filter *.trx -Recurse | Select-Object -First 1
    $passed = 0; $failed = 0
    if ($trx) {
        [xml] $doc = Get-Content $trx.FullName
        $counters = $doc.TestRun.ResultSummary.Counters
        $passed = [int] $counters.passed
        $failed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
    }
    Write-Host "xunit: $passed passed, $failed failed"
    if ($unitExit -ne 0 -or $failed -gt 0 -or $passed -eq 0) { return $false }
    return $true
}

function Initialize-TestRootfs {
    $rootfs = Join-Path $Out 'busybox-rootfs.tar.gz'
    if (-not (Test-Path $rootfs)) { New-BusyboxRootfs $rootfs }
    $env:PSCONTAINER_TEST_ROOTFS = $rootfs
}

function Invoke-PesterTest {
    Initialize-TestRootfs
    $pester = Join-Path $ToolsDir "pester/$PesterVersion/tools/Pester.psd1"
    # Under `dotnet pwsh` this process is dotnet itself; the pwsh apphost sits in $PSHOME.
    $pwsh = Join-Path $PSHOME 'pwsh'
    $passed = 0; $failed = 0
    $files = $PesterFile | ForEach-Object {
        if ([IO.Path]::IsPathRooted($_)) { Get-Item -LiteralPath $_ } else { Get-ChildItem (Join-Path $Root 'tests/Pester') -Filter $_ }
    } | Sort-Object FullName -Unique
    if (-not $files) { throw "No Pester file matches $($PesterFile -join ', ')." }
    foreach ($file in $files) {
        # Each file runs in a fresh pwsh, as a user's session would.
        $script = "Import-Module '$pester'; `$c = New-PesterConfiguration; `$c.Run.Path = '$($file.FullName)'; `$c.Run.PassThru = `$true; `$c.Output.Verbosity = 'Detailed'; `$r = Invoke-Pester -Configuration `$c; `"PESTER-COUNTS `$(`$r.PassedCount) `$(`$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount)`""
        $env:PSCONTAINER_MODULE = Join-Path $ModuleDir 'PSContainer.psd1'
        $output = & $pwsh -NoProfile -NonInteractive -Command $script 2>&1 | ForEach-Object { "$_" } | Tee-Object -Variable lines | Out-Host
        $counts = $lines | Where-Object { $_ -match '^PESTER-COUNTS (\d+) (\d+)$' } | Select-Object -Last 1
        if ($counts -match '^PESTER-COUNTS (\d+) (\d+)$') {
            $passed += [int] $Matches[1]; $failed += [int] $Matches[2]
        } else {
            Write-Host "$($file.Name) did not finish"
            $failed += 1
        }
    }
    Write-Host "pester: $passed passed, $failed failed"
    return ($failed -eq 0 -and $passed -gt 0)
}

function Invoke-Test {
    Invoke-Bootstrap
    Invoke-Build
    Initialize-TestRootfs
    $unit = Invoke-UnitTest
    $pester = Invoke-PesterTest
    if (-not ($unit -and $pester)) { throw 'Tests failed.' }
}

function Invoke-Bench {
    Invoke-Bootstrap
    Invoke-Build
    $rootfs = Join-Path $Out 'busybox-rootfs.tar.gz'
    New-BusyboxRootfs $rootfs
    $module = Join-Path $ModuleDir 'PSContainer.psd1'
    & (Join-Path $Root 'bench/Invoke-Benchmark.ps1') -ModulePath $module -RootfsPath $rootfs
    & (Join-Path $Root 'bench/Measure-NetworkRun.ps1') -ModulePath $module -RootfsPath $rootfs
    & (Join-Path $Root 'bench/Measure-Pull.ps1') -ModulePath $module
    & (Join-Path $Root 'bench/Measure-Build.ps1') -ModulePath $module -RootfsPath $rootfs
    & (Join-Path $Root 'bench/Measure-Compose.ps1') -ModulePath $module -RootfsPath $rootfs
}

foreach ($t in $Task) {
    switch ($t) {
        'Bootstrap' { Invoke-Bootstrap }
        'Build' { Invoke-Build }
        'UnitTest' { if (-not $NoBuild) { Invoke-Build }; if (-not (Invoke-UnitTest)) { throw 'Unit tests failed.' } }
        'PesterTest' { if (-not $NoBuild) { Invoke-Build }; if (-not (Invoke-PesterTest)) { throw 'Pester tests failed.' } }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
    }
}
