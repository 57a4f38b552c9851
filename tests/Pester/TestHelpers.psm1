# Shared helpers for the PSContainer end-to-end tests.
# Every test file gets a store of its own under /tmp, so it never touches /var/lib/pscontainer.

Set-StrictMode -Version Latest

$script:StorePrefix = '/tmp/psc-pester-'
$script:SavedDirectory = $null

function Assert-TestPrerequisite {
    <# Throws unless the staged module, the busybox rootfs tarball and root are all there. #>
    [CmdletBinding()]
    param()
    if (-not $env:PSCONTAINER_MODULE) {
        throw 'PSCONTAINER_MODULE is not set: point it at the staged manifest (out/PSContainer/PSContainer.psd1) or run build.ps1 PesterTest.'
    }
    if (-not (Test-Path -LiteralPath $env:PSCONTAINER_MODULE -PathType Leaf)) {
        throw "PSCONTAINER_MODULE '$env:PSCONTAINER_MODULE' does not exist: run build.ps1 Build first."
    }
    if (-not $env:PSCONTAINER_TEST_ROOTFS) {
        throw 'PSCONTAINER_TEST_ROOTFS is not set: point it at a busybox rootfs tarball (build.ps1 Test or PesterTest makes out/busybox-rootfs.tar.gz).'
    }
    if (-not (Test-Path -LiteralPath $env:PSCONTAINER_TEST_ROOTFS -PathType Leaf)) {
        throw "PSCONTAINER_TEST_ROOTFS '$env:PSCONTAINER_TEST_ROOTFS' does not exist."
    }
    $uid = (& id -u).Trim()
    if ($uid -ne '0') { throw "These tests run real containers and need root (uid is $uid)." }
}

function Get-PwshPath {
    <# The pwsh executable of this PowerShell, also when it runs as a .NET tool (dotnet pwsh). #>
    $path = Join-Path $PSHOME 'pwsh'
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) { throw "No pwsh executable in $PSHOME." }
    $path
}

function Initialize-TestStore {
    <#
    Points PSCONTAINER_ROOT at a fresh store, imports the module and the busybox image into it.
    Returns the root. Child processes inherit the environment and so use the same store.
    #>
    [CmdletBinding()]
    param([switch] $NoImage)
    Assert-TestPrerequisite
    $root = $script:StorePrefix + [guid]::NewGuid().ToString('N')
    New-Item -ItemType Directory -Path $root -Force | Out-Null
    $env:PSCONTAINER_ROOT = $root
    Remove-Item Env:PSCONTAINER_RUNROOT -ErrorAction Ignore
    # Processes the engine starts inherit the process working directory: keep it inside the store, so
    # nothing they might write there lands in the source tree.
    $cwd = Join-Path $root 'cwd'
    New-Item -ItemType Directory -Path $cwd -Force | Out-Null
    $script:SavedDirectory = [Environment]::CurrentDirectory
    [Environment]::CurrentDirectory = $cwd
    try {
        Import-Module $env:PSCONTAINER_MODULE -Global -Force -ErrorAction Stop
        $engine = Get-ContainerEngine -ErrorAction Stop
        if ($engine.Root -ne $root) { throw "The engine uses root '$($engine.Root)', not the test store '$root'." }
        if ($engine.RunRoot -eq '/run/pscontainer') { throw 'The test store shares the default run root.' }
        if (-not $NoImage) {
            $null = Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag busybox:latest -Change 'CMD ["sh"]' -ErrorAction Stop
        }
    } catch {
        Remove-TestStore -Root $root -ErrorAction Continue
        throw
    }
    $root
}

function Get-StoreMount {
    <# Mount points under a path, deepest first. #>
    param([Parameter(Mandatory)] [string] $Under)
    $prefix = $Under.TrimEnd('/') + '/'
    Get-Content /proc/mounts | ForEach-Object {
        $mountPoint = ($_ -split ' ')[1] -replace '\\040', ' '
        if ($mountPoint -eq $Under -or $mountPoint.StartsWith($prefix, [StringComparison]::Ordinal)) { $mountPoint }
    } | Sort-Object -Property Length -Descending
}

function Get-StoreProcess {
    <# Processes (conmon, runtime, container) whose command line mentions the path. #>
    param([Parameter(Mandatory)] [string] $Mentioning, [string] $Comm)
    foreach ($dir in Get-ChildItem /proc -Directory -ErrorAction Ignore | Where-Object Name -Match '^\d+$') {
        try {
            $cmdline = [IO.File]::ReadAllText("/proc/$($dir.Name)/cmdline").Replace([char]0, ' ')
            $name = [IO.File]::ReadAllText("/proc/$($dir.Name)/comm").Trim()
        } catch { continue }
        if ([int] $dir.Name -eq $PID) { continue }
        if ($Comm -and $name -ne $Comm) { continue }
        if ($cmdline.Contains($Mentioning)) { [pscustomobject]@{ Id = [int] $dir.Name; Name = $name; CommandLine = $cmdline } }
    }
}

function Get-ContainerCgroup {
    <# The cgroup directories (any hierarchy, v1 or v2) the engine made for a container id. #>
    param([Parameter(Mandatory)] [string] $Id)
    foreach ($dir in @(Get-ChildItem -Directory /sys/fs/cgroup -ErrorAction Ignore) + @(Get-Item /sys/fs/cgroup)) {
        $path = Join-Path $dir.FullName "pscontainer/$Id"
        if (Test-Path -LiteralPath $path) { $path }
    }
}

function Remove-ContainerCgroup {
    <# Thaws, empties and removes what is left of a container's cgroups (test cleanup only). #>
    param([Parameter(Mandatory)] [string] $Id)
    $paths = @(Get-ContainerCgroup -Id $Id)
    if (-not $paths) { return }
    foreach ($path in $paths) {
        if (Test-Path "$path/freezer.state") { Set-Content "$path/freezer.state" THAWED -ErrorAction Ignore }
        if (Test-Path "$path/cgroup.freeze") { Set-Content "$path/cgroup.freeze" 0 -ErrorAction Ignore }
    }
    foreach ($path in $paths) {
        foreach ($task in @(Get-Content "$path/cgroup.procs" -ErrorAction Ignore)) { & kill -9 $task 2>$null }
    }
    Start-Sleep -Milliseconds 200
    foreach ($path in $paths) {
        Get-ChildItem -LiteralPath $path -Directory -Recurse -ErrorAction Ignore | Sort-Object { $_.FullName.Length } -Descending |
            ForEach-Object { [IO.Directory]::Delete($_.FullName) }
        try { [IO.Directory]::Delete($path) } catch { Write-Warning "Cannot remove cgroup $($path): $_" }
    }
}

function Remove-TestStore {
    <#
    Removes every container of the test store, anything still mounted or running for it, and the store itself.
    -ContainerId names containers (perhaps already removed) whose leftover cgroups should go too.
    #>
    [CmdletBinding()]
    param([string] $Root = $env:PSCONTAINER_ROOT, [string[]] $ContainerId = @())
    if (-not $Root -or -not $Root.StartsWith($script:StorePrefix, [StringComparison]::Ordinal)) {
        throw "Refusing to remove '$Root': not a test store."
    }
    $env:PSCONTAINER_ROOT = $Root
    $runRoot = $null
    $ids = @(Get-ChildItem -LiteralPath (Join-Path $Root 'containers') -Directory -Force -ErrorAction Ignore |
            ForEach-Object { $_.Name -replace '^\.(new|gone)-', '' } | Where-Object { $_ -match '^[0-9a-f]{64}$' })
    if (Get-Command Get-ContainerEngine -ErrorAction Ignore) {
        try { $runRoot = (Get-ContainerEngine -ErrorAction Stop).RunRoot } catch { Write-Warning "Get-ContainerEngine: $_" }
        try { Get-Container -All -ErrorAction Stop | Remove-Container -Force -ErrorAction Continue } catch { Write-Warning "Cleaning containers: $_" }
    }
    foreach ($path in @($Root, $runRoot) | Where-Object { $_ }) {
        foreach ($p in Get-StoreProcess -Mentioning $path -Comm conmon) { & kill -9 $p.Id 2>$null }
    }
    foreach ($id in $ids + @($ContainerId)) {
        if ($id -and (Get-ContainerCgroup -Id $id)) {
            Write-Warning "Removing the cgroups container $id left behind."
            Remove-ContainerCgroup -Id $id
        }
    }
    foreach ($path in @($Root, $runRoot) | Where-Object { $_ }) {
        foreach ($m in Get-StoreMount -Under $path) { & umount -l $m 2>$null }
    }
    if ($script:SavedDirectory -and [Environment]::CurrentDirectory.StartsWith($Root, [StringComparison]::Ordinal)) {
        [Environment]::CurrentDirectory = $script:SavedDirectory
    }
    if (Test-Path -LiteralPath $Root) { Remove-Item -LiteralPath $Root -Recurse -Force -ErrorAction Continue }
    if ($runRoot -and $runRoot.StartsWith('/run/pscontainer-', [StringComparison]::Ordinal) -and (Test-Path -LiteralPath $runRoot)) {
        Remove-Item -LiteralPath $runRoot -Recurse -Force -ErrorAction Continue
    }
}

function Wait-Condition {
    <# Polls until the script block returns a true value; throws with the message on timeout. #>
    param(
        [Parameter(Mandatory)] [scriptblock] $Condition,
        [double] $TimeoutSeconds = 20,
        [string] $Message = 'condition'
    )
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($true) {
        if (& $Condition) { return }
        if ([DateTime]::UtcNow -ge $deadline) { throw "Timed out after $TimeoutSeconds s waiting for $Message." }
        Start-Sleep -Milliseconds 100
    }
}

function Invoke-ChildPwsh {
    <#
    Runs a script in a new pwsh process (same environment, so the same store) with the module imported,
    and returns its exit code and output. Throws when it does not finish in time.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [int] $TimeoutSeconds = 60
    )
    $process = Start-ChildPwsh -Script $Script
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
        & kill -9 $process.Id 2>$null
        throw "Child pwsh did not finish in $TimeoutSeconds s. Output: $(Get-Content -Raw $process.StdoutFile) $(Get-Content -Raw $process.StderrFile)"
    }
    $process.WaitForExit()
    $result = [pscustomobject]@{
        ExitCode = $process.ExitCode
        Output   = @(Get-Content $process.StdoutFile)
        Errors   = @(Get-Content $process.StderrFile)
    }
    Remove-Item -LiteralPath $process.StdoutFile, $process.StderrFile -ErrorAction Ignore
    $result
}

function Start-ChildPwsh {
    <#
    Starts a script in a new pwsh process with the module imported and returns the Process, with
    StdoutFile/StderrFile notes naming where its output goes.
    #>
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{})
    $full = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; Import-Module `$env:PSCONTAINER_MODULE`n" + $Script
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($full))
    $tag = [guid]::NewGuid().ToString('N')
    $stdout = "/tmp/psc-pester-child-$tag.out"
    $stderr = "/tmp/psc-pester-child-$tag.err"
    $saved = @{}
    foreach ($key in $Environment.Keys) {
        $saved[$key] = [Environment]::GetEnvironmentVariable($key)
        [Environment]::SetEnvironmentVariable($key, [string] $Environment[$key])
    }
    try {
        $process = Start-Process -FilePath (Get-PwshPath) -ArgumentList '-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded `
            -RedirectStandardOutput $stdout -RedirectStandardError $stderr -PassThru
    } finally {
        foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
    }
    $process | Add-Member -NotePropertyName StdoutFile -NotePropertyValue $stdout
    $process | Add-Member -NotePropertyName StderrFile -NotePropertyValue $stderr
    $process
}

Export-ModuleMember -Function Assert-TestPrerequisite, Get-PwshPath, Initialize-TestStore, Remove-TestStore,
    Get-StoreMount, Get-StoreProcess, Get-ContainerCgroup, Remove-ContainerCgroup, Wait-Condition, Invoke-ChildPwsh, Start-ChildPwsh
