#Requires -Version 7.6
<#
.SYNOPSIS
    Times PSContainer against podman and raw runc on one busybox image.
.DESCRIPTION
    All measurements run in this one pwsh session, interleaved round-robin so that host noise falls on
    every contender alike:
      (a)  PSContainer, warm session: New-Container + Start-Container -Wait + Remove-Container of /bin/true,
           and Invoke-Container of /bin/true.
      (b)  podman run --rm --network none --runtime runc ... /bin/true, on a private podman store.
      (c)  runc run of a prepared bundle (the unpacked rootfs in a plain directory): the floor.
      (d)  Get-Container -All with N created (not started) containers beside podman ps -a with as many.
    Medians go to the host as a markdown table and to out/bench-results.md. Everything the run creates
    (containers, stores, the podman store, the bundle) lives under one temp directory and is removed
    at the end, also on failure. Nothing is pulled: podman uses the rootfs imported as localhost/busybox:bench.
    Needs root, podman, runc and conmon.
.EXAMPLE
    dotnet pwsh ./build.ps1 Bench
.EXAMPLE
    ./bench/Invoke-Benchmark.ps1 -ModulePath out/PSContainer/PSContainer.psd1 -RootfsPath out/busybox-rootfs.tar.gz
#>
[CmdletBinding()]
param(
    # The staged module manifest (out/PSContainer/PSContainer.psd1).
    [Parameter(Mandatory)]
    [string] $ModulePath,
    # A busybox rootfs .tar.gz (build.ps1 makes it with New-BusyboxRootfs).
    [Parameter(Mandatory)]
    [string] $RootfsPath,
    # Timed runs of (a), (b) and (c), after the warm-up runs.
    [ValidateRange(1, 1000)]
    [int] $Iterations = 20,
    [ValidateRange(0, 100)]
    [int] $Warmup = 3,
    # Containers in each store for (d).
    [ValidateRange(1, 5000)]
    [int] $ListContainers = 300,
    # Timed runs of (d).
    [ValidateRange(1, 1000)]
    [int] $ListIterations = 10,
    # Where the markdown table is written.
    [string] $OutFile = (Join-Path $PSScriptRoot '../out/bench-results.md')
)

$ErrorActionPreference = 'Stop'
$ConfirmPreference = 'None'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$RootfsPath = (Resolve-Path -LiteralPath $RootfsPath).ProviderPath
$OutFile = [IO.Path]::GetFullPath($OutFile)
$PodmanFlags = @('--network', 'none', '--runtime', 'runc', '--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=32768:32768')
$PodmanImage = 'localhost/busybox:bench'
$Clock = [Diagnostics.Stopwatch]::StartNew()
$LoadAtStart = (Get-Content /proc/loadavg).Split(' ')[0]

function Write-Step([string] $Text) {
    Write-Host ('[{0,5:0}s] {1}' -f $Clock.Elapsed.TotalSeconds, $Text)
}


# Runs a native command, throwing with its output when it fails; returns its output lines.

# Milliseconds one call of a scriptblock takes.
function Measure-Once([scriptblock] $Action) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $null = & $Action
    $sw.Stop()
    return $sw.Elapsed.TotalMilliseconds
}

# Runs the named actions round-robin (the order rotates each round); returns name → timed samples (ms).
function Invoke-Interleaved([System.Collections.Specialized.OrderedDictionary] $Actions, [int] $Rounds, [int] $WarmupRounds, [string] $Label) {
    $names = @($Actions.Keys)
    $samples = @{}
    foreach ($name in $names) { $samples[$name] = [Collections.Generic.List[double]]::new() }
    for ($round = 0; $round -lt $WarmupRounds + $Rounds; $round++) {
        for ($k = 0; $k -lt $names.Count; $k++) {
            $name = $names[($round + $k) % $names.Count]
            $ms = Measure-Once $Actions[$name]
            if ($round -ge $WarmupRounds) { $samples[$name].Add($ms) }
        }
        if ($round -eq $WarmupRounds - 1) { Write-Step "$Label`: warm-up done" }
    }
    return $samples
}

function Get-MountsUnder([string] $Dir) {
    # Field 5 of mountinfo is the mount point, with spaces and the like octal-escaped.
    Get-Content /proc/self/mountinfo | ForEach-Object {
        $mp = [regex]::Replace(($_ -split ' ')[4], '\\([0-7]{3})', { param($m) [string][char][Convert]::ToInt32($m.Groups[1].Value, 8) })
        if ($mp.StartsWith($Dir + '/', [StringComparison]::Ordinal)) { $mp }
    } | Sort-Object -Property Length -Descending
}

if ((& id -u) -ne '0') { throw 'The benchmark needs root.' }
foreach ($tool in 'podman', 'runc', 'conmon', 'tar') {
    if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) { throw "$tool is not installed." }
}

# Everything lives under one short temp directory (conmon's socket paths must stay short).
$Work = Join-Path '/tmp' ('psc-bench-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $Work | Out-Null
$savedEnv = @{}
foreach ($name in 'PSCONTAINER_ROOT', 'PSCONTAINER_RUNROOT', 'PSCONTAINER_RUNTIME', 'CONTAINERS_CONF') {
    $savedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
}
$moduleWasLoaded = [bool] (Get-Module PSContainer)
$podmanGlobal = @('--root', "$Work/podman/root", '--runroot', "$Work/podman/run")
$runcRoot = "$Work/runc-state"
$results = [ordered]@{}

try {
    # ---- PSContainer: a private store and run root, set before the module is imported --------------
    $env:PSCONTAINER_ROOT = "$Work/psc/root"
    $env:PSCONTAINER_RUNROOT = "$Work/psc/run"
    $env:PSCONTAINER_RUNTIME = 'runc'
    Import-Module $ModulePath -Force
    $engine = Get-ContainerEngine
    if ($engine.Root -ne $env:PSCONTAINER_ROOT) { throw "PSContainer uses store $($engine.Root), not the private one." }
    Import-Image -Path $RootfsPath -Tag busybox:latest | Out-Null
    Write-Step "PSContainer store at $($engine.Root), runtime $($engine.Runtime), conmon $($engine.ConmonVersion)"

    # ---- podman: a private store, tmp dir and events log; no network, no pulls ----------------------
    New-Item -ItemType Directory -Force -Path "$Work/podman/tmp" | Out-Null
    $systemConf = @('/etc/containers/containers.conf', '/usr/share/containers/containers.conf') | Where-Object { Test-Path $_ } | Select-Object -First 1
    $conf = if ($systemConf) { Get-Content -Raw $systemConf } else { '' }
    $engineSettings = "tmp_dir = `"$Work/podman/tmp`"`nevents_logfile_path = `"$Work/podman/tmp/events.log`"`n"
    $conf = if ($conf -match '(?m)^\[engine\][ \t]*$') { $conf -replace '(?m)^\[engine\][ \t]*$', "[engine]`n$engineSettings" } else { $conf + "`n[engine]`n$engineSettings" }
    Set-Content -Path "$Work/podman/containers.conf" -Value $conf
    # CONTAINERS_CONF replaces the system containers.conf, so the copy above keeps its other settings.
    $env:CONTAINERS_CONF = "$Work/podman/containers.conf"
    Invoke-Native podman ($podmanGlobal + @('import', '--quiet', $RootfsPath, $PodmanImage)) | Out-Null
    $podmanVersion = (Invoke-Native podman @('--version')) -join ''
    Write-Step "$podmanVersion store at $Work/podman"

    # ---- runc: the unpacked rootfs in a plain directory and a spec for /bin/true --------------------
    $bundle = "$Work/bundle"
    New-Item -ItemType Directory -Force -Path "$bundle/rootfs", $runcRoot | Out-Null
    Invoke-Native tar @('-C', "$bundle/rootfs", '--numeric-owner', '-xzf', $RootfsPath) | Out-Null
    Invoke-Native runc @('spec', '--bundle', $bundle) | Out-Null
    $spec = Get-Content -Raw "$bundle/config.json" | ConvertFrom-Json -AsHashtable
    $spec.process.terminal = $false
    $spec.process.args = @('/bin/true')
    $spec | ConvertTo-Json -Depth 64 | Set-Content "$bundle/config.json"
    $runcVersion = (Invoke-Native runc @('--version'))[0]

    # ---- (a), (b), (c): one container lifecycle each, interleaved ------------------------------------
    $script:runcSerial = 0
    $phases = @{ New = [Collections.Generic.List[double]]::new(); Start = [Collections.Generic.List[double]]::new(); Remove = [Collections.Generic.List[double]]::new() }
    $lifecycle = [ordered]@{
        a1 = {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $c = New-Container busybox -Network none -Command /bin/true
            $t1 = $sw.Elapsed.TotalMilliseconds
            Start-Container -InputObject $c -Wait
            $t2 = $sw.Elapsed.TotalMilliseconds
            Remove-Container -InputObject $c
            $phases.New.Add($t1); $phases.Start.Add($t2 - $t1); $phases.Remove.Add($sw.Elapsed.TotalMilliseconds - $t2)
        }
        a2 = {
            Invoke-Container busybox -Network none -Command /bin/true
            if ($LASTEXITCODE -ne 0) { throw "Invoke-Container exited with $LASTEXITCODE" }
        }
        b = { Invoke-Native podman ($podmanGlobal + @('run', '--rm') + $PodmanFlags + @($PodmanImage, '/bin/true')) | Out-Null }
        c = {
            $id = 'bench-' + (++$script:runcSerial) + '-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            Invoke-Native runc @('--root', $runcRoot, 'run', '--bundle', $bundle, $id) | Out-Null
        }
    }
    Write-Step "Lifecycle: $Warmup warm-up + $Iterations timed rounds of (a) New/Start/Remove, (a) Invoke-Container, (b) podman run, (c) runc run"
    $lifeSamples = Invoke-Interleaved $lifecycle $Iterations $Warmup 'lifecycle'
    # The phase samples include the warm-up runs; keep the timed ones.
    foreach ($key in @($phases.Keys)) { $phases[$key] = $phases[$key].GetRange($Warmup, $Iterations) }
    $left = @(Get-Container -All)
    if ($left.Count -ne 0) { throw "$($left.Count) PSContainer containers were left behind by the lifecycle runs." }

    # ---- (d): listing a store of $ListContainers created containers ---------------------------------
    Write-Step "Creating $ListContainers containers in each store"
    $createPsc = Measure-Once { for ($i = 0; $i -lt $ListContainers; $i++) { New-Container busybox -Command /bin/true | Out-Null } }
    $createPodman = Measure-Once {
        for ($i = 0; $i -lt $ListContainers; $i++) { Invoke-Native podman ($podmanGlobal + @('create') + $PodmanFlags + @($PodmanImage, '/bin/true')) | Out-Null }
    }
    $listing = [ordered]@{
        pscList = {
            $all = Get-Container -All
            if (@($all).Count -ne $ListContainers) { throw "Get-Container -All returned $(@($all).Count) containers, not $ListContainers." }
        }
        podmanList = {
            $lines = Invoke-Native podman ($podmanGlobal + @('ps', '-a'))
            if (@($lines).Count -ne $ListContainers + 1) { throw "podman ps -a printed $(@($lines).Count) lines, not $($ListContainers + 1)." }
        }
    }
    Write-Step "Listing: 1 warm-up + $ListIterations timed rounds of Get-Container -All and podman ps -a"
    $listSamples = Invoke-Interleaved $listing $ListIterations 1 'listing'

    # ---- the table -----------------------------------------------------------------------------------
    $m = @{}
    foreach ($set in $lifeSamples, $listSamples) { foreach ($k in $set.Keys) { $m[$k] = Get-Median $set[$k] } }
    $row = {
        param($Name, $Samples)
        $s = [double[]] $Samples
        '| {0} | {1:0.0} | {2:0.0} | {3:0.0} | {4} |' -f $Name, (Get-Median $s), ($s | Measure-Object -Minimum).Minimum, ($s | Measure-Object -Maximum).Maximum, $s.Count
    }
    $cpu = ((Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^.*:\s*', '')
    $md = [Collections.Generic.List[string]]::new()
    $md.Add("Measured $(Get-Date -Format 'yyyy-MM-dd') on Linux $(& uname -r), $([Environment]::ProcessorCount) x $cpu; PSContainer $($engine.Version) (runtime $($engine.Runtime), $($engine.ConmonVersion), cgroups $($engine.CgroupMode)), $podmanVersion, $runcVersion, PowerShell $($PSVersionTable.PSVersion). Busybox rootfs, ``/bin/true``; runs interleaved round-robin after warm-up ($Warmup rounds for a-c, 1 for d). Load average $LoadAtStart at the start, $((Get-Content /proc/loadavg).Split(' ')[0]) at the end.")
    $md.Add('')
    $md.Add('| Benchmark | Median (ms) | Min (ms) | Max (ms) | N |')
    $md.Add('|---|---:|---:|---:|---:|')
    $md.Add((& $row '(a) PSContainer `New-Container` + `Start-Container -Wait` + `Remove-Container` (warm session)' $lifeSamples.a1))
    $md.Add((& $row '(a) PSContainer `Invoke-Container` (warm session)' $lifeSamples.a2))
    $md.Add((& $row '(b) `podman run --rm --network none --runtime runc`' $lifeSamples.b))
    $md.Add((& $row '(c) `runc run` of a prepared bundle (floor)' $lifeSamples.c))
    $md.Add((& $row "(d) PSContainer ``Get-Container -All``, $ListContainers containers" $listSamples.pscList))
    $md.Add((& $row "(d) ``podman ps -a``, $ListContainers containers" $listSamples.podmanList))
    $md.Add('')
    $md.Add('| Ratio (medians) | New + Start + Remove | Invoke-Container |')
    $md.Add('|---|---:|---:|')
    $md.Add(('| a / b (PSContainer / podman) | {0:0.00} | {1:0.00} |' -f ($m.a1 / $m.b), ($m.a2 / $m.b)))
    $md.Add(('| a / c (PSContainer / runc) | {0:0.00} | {1:0.00} |' -f ($m.a1 / $m.c), ($m.a2 / $m.c)))
    $md.Add(('| d: `Get-Container -All` / `podman ps -a` | {0:0.000} | |' -f ($m.pscList / $m.podmanList)))
    $md.Add('')
    $md.Add(('PSContainer phases of (a), medians: `New-Container` {0:0.0} ms, `Start-Container -Wait` {1:0.0} ms, `Remove-Container` {2:0.0} ms. Creating {3} containers one by one: PSContainer {4:0.00} s, podman {5:0.00} s.' -f
            (Get-Median $phases.New), (Get-Median $phases.Start), (Get-Median $phases.Remove), $ListContainers, ($createPsc / 1000), ($createPodman / 1000)))

    $text = $md -join "`n"
    New-Item -ItemType Directory -Force -Path (Split-Path $OutFile) | Out-Null
    Set-Content -Path $OutFile -Value $text
    Write-Host ''
    Write-Host $text
    Write-Host ''
    Write-Step "Wrote $OutFile"
}
finally {
    Write-Step 'Cleaning up'
    if (Get-Module PSContainer) {
        try { Get-Container -All | Remove-Container -Force -ErrorAction Continue }
        catch { Write-Warning "Removing PSContainer containers: $_" }
    }
    if ($env:CONTAINERS_CONF -eq "$Work/podman/containers.conf" -and (Test-Path "$Work/podman/root")) {
        foreach ($verb in @('rm', '--all', '--force'), @('rmi', '--all', '--force')) {
            & podman @podmanGlobal @verb *> $null
            if ($LASTEXITCODE -ne 0) { Write-Warning "podman $($verb -join ' ') failed with exit code $LASTEXITCODE" }
        }
    }
    # Runtime state that a failed run may have left: runc containers under our state roots.
    foreach ($root in $runcRoot, "$Work/psc/run/runtime/runc") {
        if (Test-Path $root) {
            foreach ($dir in Get-ChildItem -Directory $root) { & runc --root $root delete --force $dir.Name *> $null }
        }
    }
    # Monitors a failed run may have left: conmon processes started on our stores.
    foreach ($proc in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
        try {
            $cmdline = [IO.File]::ReadAllText("/proc/$($proc.Name)/cmdline")
            if ($cmdline.StartsWith('conmon') -or $cmdline -match '^[^\0]*/conmon\0') {
                if ($cmdline.Contains("$Work/")) { Stop-Process -Id ([int] $proc.Name) -Force -ErrorAction SilentlyContinue }
            }
        }
        catch { }
    }
    foreach ($mp in Get-MountsUnder $Work) { & umount -l $mp 2>$null }
    if (Get-MountsUnder $Work) {
        Write-Warning "Mounts are left under $Work; not deleting it."
    }
    else {
        Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction Continue
    }
    foreach ($name in $savedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $savedEnv[$name]) }
    if (-not $moduleWasLoaded) { Remove-Module PSContainer -ErrorAction SilentlyContinue }
    Write-Step 'Done'
}
