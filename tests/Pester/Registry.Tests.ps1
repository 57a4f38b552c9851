#Requires -Version 7.6
# Registries: Publish-Image, Find-Image, Connect-Registry and Disconnect-Registry against docker-registry
# servers this file starts on 127.0.0.1, with skopeo as an independent client.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    foreach ($variable in 'PSCONTAINER_MODULE', 'PSCONTAINER_TEST_ROOTFS') {
        $value = [Environment]::GetEnvironmentVariable($variable)
        if (-not $value -or -not (Test-Path -LiteralPath $value -PathType Leaf)) {
            throw "$variable must name an existing file (build.ps1 Test sets it); it is '$value'."
        }
    }
    foreach ($tool in @{ Path = '/usr/bin/docker-registry'; Package = 'docker-registry' }, @{ Path = '/usr/bin/skopeo'; Package = 'skopeo' },
        @{ Path = '/usr/bin/htpasswd'; Package = 'apache2-utils' }) {
        if (-not (Test-Path -LiteralPath $tool.Path -PathType Leaf)) {
            throw "Prerequisite $($tool.Path) is missing; install it with: apt-get install -y $($tool.Package)"
        }
    }

    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('psc-pester-registry-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:Work | Out-Null
    # A private store, run root and login file: other users of this machine keep theirs.
    $env:PSCONTAINER_ROOT = Join-Path $script:Work 'store'
    $env:PSCONTAINER_RUNROOT = Join-Path $script:Work 'run'
    $env:DOCKER_CONFIG = Join-Path $script:Work 'docker'
    Import-Module $env:PSCONTAINER_MODULE -Force
    $null = Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag busybox:latest -Change 'CMD ["sh"]'

    function Start-TestRegistry {
        param([string] $Htpasswd)
        # A free port can be taken by another process before the registry binds it: then try another. Only the
        # registry's own "listening on" line proves it bound the port (a connect could reach whoever holds it).
        for ($attempt = 1; ; $attempt++) {
            $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
            $listener.Start()
            $port = $listener.LocalEndpoint.Port
            $listener.Stop()
            $dir = Join-Path $script:Work "registry-$port"
            New-Item -ItemType Directory -Path $dir | Out-Null
            $config = "version: 0.1`nlog:`n  level: info`n  accesslog:`n    disabled: true`nstorage:`n  filesystem:`n    rootdirectory: $dir/storage`nhttp:`n  addr: 127.0.0.1:$port`n"
            if ($Htpasswd) {
                Set-Content -LiteralPath "$dir/htpasswd" -Value $Htpasswd
                $config += "auth:`n  htpasswd:`n    realm: psc-pester`n    path: $dir/htpasswd`n"
            }
            Set-Content -LiteralPath "$dir/config.yml" -Value $config
            $process = Start-Process -FilePath /usr/bin/docker-registry -ArgumentList 'serve', "$dir/config.yml" -PassThru `
                -RedirectStandardOutput "$dir/stdout.log" -RedirectStandardError "$dir/stderr.log"
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not (Select-String -LiteralPath "$dir/stderr.log", "$dir/stdout.log" -SimpleMatch "listening on 127.0.0.1:$port" -Quiet -ErrorAction SilentlyContinue)) {
                if ($process.HasExited) { break }
                if ([DateTime]::UtcNow -gt $deadline) { throw "docker-registry did not listen on $port within 20 s." }
                Start-Sleep -Milliseconds 20
            }
            if (-not $process.HasExited) { return [pscustomobject]@{ Process = $process; Host = "127.0.0.1:$port" } }
            $log = Get-Content -Raw "$dir/stderr.log"
            if ($attempt -ge 5 -or $log -notmatch 'address already in use') { throw "docker-registry exited with $($process.ExitCode): $log" }
        }
    }

    function Invoke-Skopeo {
        $output = & /usr/bin/skopeo @args 2>&1
        if ($LASTEXITCODE -ne 0) { throw "skopeo $($args -join ' ') exited $LASTEXITCODE`: $output" }
        $output -join "`n"
    }

    $script:User = 'alice'
    $script:Password = 'pw-' + [guid]::NewGuid().ToString('N')
    $script:Plain = Start-TestRegistry
    $script:Secured = Start-TestRegistry -Htpasswd (& /usr/bin/htpasswd -Bbn $script:User $script:Password)
    $script:Login = [pscredential]::new($script:User, (ConvertTo-SecureString $script:Password -AsPlainText -Force))
}

AfterAll {
    foreach ($registry in $script:Plain, $script:Secured) {
        if ($registry -and -not $registry.Process.HasExited) {
            $registry.Process.Kill($true)
            $registry.Process.WaitForExit(5000) | Out-Null
        }
    }
    Remove-Module PSContainer -ErrorAction Ignore
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction Ignore }
}

Describe 'Publish-Image' {
    It 'pushes busybox as an OCI image that skopeo reads and copies' {
        $result = Publish-Image busybox:latest -Destination "$($Plain.Host)/psc/busybox:v1"
        $result | Should -BeOfType ([PSContainer.Engine.Images.ImagePushResult])
        $result.Reference | Should -Be "$($Plain.Host)/psc/busybox:v1"
        $result.Digest | Should -Match '^sha256:[0-9a-f]{64}$'
        $result.UploadedBlobs | Should -Be 2

        $reference = "docker://$($Plain.Host)/psc/busybox:v1"
        $inspect = Invoke-Skopeo inspect --tls-verify=false $reference | ConvertFrom-Json
        $inspect.Digest | Should -Be $result.Digest
        $raw = Invoke-Skopeo inspect --raw --tls-verify=false $reference | ConvertFrom-Json
        $raw.mediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $raw.config.mediaType | Should -Be 'application/vnd.oci.image.config.v1+json'
        $raw.config.digest | Should -Be (Get-Image busybox).Id
        @($raw.layers).Count | Should -Be 1
        $raw.layers[0].mediaType | Should -Be 'application/vnd.oci.image.layer.v1.tar+gzip'
        $inspect.Layers | Should -Be @($raw.layers[0].digest)
        $config = Invoke-Skopeo inspect --config --tls-verify=false $reference | ConvertFrom-Json
        $config.config.Cmd | Should -Be @('sh')
        $config.rootfs.diff_ids[0] | Should -Not -Be $raw.layers[0].digest

        $layout = Join-Path $Work 'oci-copy'
        Invoke-Skopeo copy --src-tls-verify=false $reference "oci:${layout}:v1" | Out-Null
        Test-Path -LiteralPath (Join-Path $layout "blobs/sha256/$($raw.layers[0].digest.Substring(7))") | Should -BeTrue

        (Get-Image busybox).RepoDigests | Should -Contain "$($Plain.Host)/psc/busybox@$($result.Digest)"
    }

    It 'skips the blobs the repository has on a second push' {
        $again = Publish-Image busybox -Destination "$($Plain.Host)/psc/busybox:v1"
        $again.UploadedBlobs | Should -Be 0
        $again.ExistingBlobs | Should -Be 2
    }

    It 'mounts blobs from another repository of the same registry' {
        $other = Get-Image busybox | Publish-Image -Destination "$($Plain.Host)/psc/copy:1"
        $other.MountedBlobs | Should -Be 2
        $other.UploadedBlobs | Should -Be 0
    }

    It 'sends nothing with -WhatIf' {
        Publish-Image busybox -Destination "$($Plain.Host)/psc/whatif:1" -WhatIf | Should -BeNullOrEmpty
        Find-Image "$($Plain.Host)/psc/whatif" -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NameUnknown,*'
    }

    It 'reports a missing image and an id without destination as errors, going on with the rest' {
        $results = 'nothing-here:1', 'busybox' | Publish-Image -Destination "$($Plain.Host)/psc/busybox:v3" -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $results.Tag | Should -Be 'v3'
        Publish-Image (Get-Image busybox).ShortId -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'PushDestinationRequired,*'
    }
}

Describe 'Find-Image' {
    It 'lists the pushed tags with Repository, Tag and Reference' {
        $tags = Find-Image "$($Plain.Host)/psc/busybox"
        $tags.Tag | Should -Be @('v1', 'v3')
        $tags[0].Repository | Should -Be "$($Plain.Host)/psc/busybox"
        $tags[0].Reference | Should -Be "$($Plain.Host)/psc/busybox:v1"
    }

    It 'keeps the tags a pattern matches' {
        (Find-Image "$($Plain.Host)/psc/busybox:v3").Tag | Should -Be 'v3'
        @(Find-Image "$($Plain.Host)/psc/busybox:x*").Count | Should -Be 0
        Find-Image "$($Plain.Host)/psc/busybox:v9" -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TagNotFound,*'
    }
}

Describe 'Connect-Registry and Disconnect-Registry' {
    BeforeAll {
        $script:ConfigFile = Join-Path $env:DOCKER_CONFIG 'config.json'
        $script:Basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("${User}:$Password"))
    }

    It 'refuses a wrong password and stores nothing' {
        $wrong = [pscredential]::new($User, (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
        Connect-Registry $Secured.Host -Credential $wrong -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RegistryUnauthorized,*'
        Test-Path -LiteralPath $ConfigFile | Should -BeFalse
    }

    It 'needs a login for the secured registry' {
        Find-Image "$($Secured.Host)/psc/private" -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RegistryUnauthorized,*'
    }

    It 'checks the login, then stores it with mode 0600 and never shows the password' {
        $streams = Connect-Registry $Secured.Host -Credential $Login -Verbose *>&1 | Out-String
        $streams | Should -Match ([regex]::Escape($Secured.Host))
        $streams | Should -Not -Match ([regex]::Escape($Password))
        $streams | Should -Not -Match ([regex]::Escape($Basic))
        (Get-Item -LiteralPath $ConfigFile).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        (Get-Content -Raw -LiteralPath $ConfigFile | ConvertFrom-Json -AsHashtable).auths[$Secured.Host].auth | Should -Be $Basic
    }

    It 'lets Publish-Image and Find-Image use the stored login' {
        $pushed = Publish-Image busybox -Destination "$($Secured.Host)/psc/private:1"
        (Find-Image "$($Secured.Host)/psc/private").Tag | Should -Be '1'
        $inspect = Invoke-Skopeo inspect --tls-verify=false --authfile $ConfigFile "docker://$($Secured.Host)/psc/private:1" | ConvertFrom-Json
        $inspect.Digest | Should -Be $pushed.Digest
    }

    It 'removes the login and keeps the file private' {
        Disconnect-Registry $Secured.Host
        (Get-Content -Raw -LiteralPath $ConfigFile | ConvertFrom-Json -AsHashtable).auths.Keys | Should -Not -Contain $Secured.Host
        (Get-Item -LiteralPath $ConfigFile).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        Find-Image "$($Secured.Host)/psc/private" -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RegistryUnauthorized,*'
    }

    It 'says so when there is no login to remove' {
        Disconnect-Registry $Secured.Host -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NotLoggedIn,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Receive-Image' {
    BeforeAll {
        function New-LayeredLayout {
            # An OCI layout: the busybox rootfs, then $Count gzip layers, layer i holding /layers/<i>.txt.
            param([string] $Path, [int] $Count)
            $blobs = Join-Path $Path 'blobs/sha256'
            New-Item -ItemType Directory -Force -Path $blobs | Out-Null
            $baseDigest = (Get-FileHash -Algorithm SHA256 $env:PSCONTAINER_TEST_ROOTFS).Hash.ToLowerInvariant()
            Copy-Item $env:PSCONTAINER_TEST_ROOTFS (Join-Path $blobs $baseDigest)
            $layers = @(@{ mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip'; digest = "sha256:$baseDigest"; size = (Get-Item $env:PSCONTAINER_TEST_ROOTFS).Length })
            $diffIds = @('sha256:' + ((& bash -c "gzip -dc '$env:PSCONTAINER_TEST_ROOTFS' | sha256sum") -split ' ')[0])
            foreach ($i in 1..$Count) {
                $dir = Join-Path $Path "src$i"
                New-Item -ItemType Directory -Force -Path "$dir/layers" | Out-Null
                Set-Content -LiteralPath "$dir/layers/$i.txt" -Value "layer $i"
                & tar -C $dir -cf "$dir.tar" layers
                $diffIds += 'sha256:' + (Get-FileHash -Algorithm SHA256 "$dir.tar").Hash.ToLowerInvariant()
                & gzip -n -f "$dir.tar"
                $digest = (Get-FileHash -Algorithm SHA256 "$dir.tar.gz").Hash.ToLowerInvariant()
                $size = (Get-Item "$dir.tar.gz").Length
                Move-Item "$dir.tar.gz" (Join-Path $blobs $digest) -Force
                Remove-Item -Recurse -Force $dir
                $layers += @{ mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip'; digest = "sha256:$digest"; size = $size }
            }
            $config = [Text.Encoding]::UTF8.GetBytes((@{ architecture = 'amd64'; os = 'linux'; config = @{ Cmd = @('/bin/sh') }; rootfs = @{ type = 'layers'; diff_ids = $diffIds } } | ConvertTo-Json -Depth 5 -Compress))
            $configDigest = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($config)).ToLowerInvariant()
            [IO.File]::WriteAllBytes((Join-Path $blobs $configDigest), $config)
            $manifest = [Text.Encoding]::UTF8.GetBytes((@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.manifest.v1+json'; config = @{ mediaType = 'application/vnd.oci.image.config.v1+json'; digest = "sha256:$configDigest"; size = $config.Length }; layers = $layers } | ConvertTo-Json -Depth 5 -Compress))
            $manifestDigest = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($manifest)).ToLowerInvariant()
            [IO.File]::WriteAllBytes((Join-Path $blobs $manifestDigest), $manifest)
            Set-Content -LiteralPath (Join-Path $Path 'oci-layout') -Value '{"imageLayoutVersion":"1.0.0"}'
            Set-Content -LiteralPath (Join-Path $Path 'index.json') -Value (@{ schemaVersion = 2; manifests = @(@{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = "sha256:$manifestDigest"; size = $manifest.Length; annotations = @{ 'org.opencontainers.image.ref.name' = 'layered' } }) } | ConvertTo-Json -Depth 5 -Compress)
        }
        $script:Busy = "$($script:Plain.Host)/pull/busybox:1"
        Publish-Image busybox:latest -Destination $script:Busy | Out-Null
        # A fresh store, so the pull has nothing to start from.
        $env:PSCONTAINER_ROOT = Join-Path $script:Work 'pull-store'
        $env:PSCONTAINER_RUNROOT = Join-Path $script:Work 'pull-run'
    }

    AfterAll {
        Get-Container -All | Remove-Container -Force
        $env:PSCONTAINER_ROOT = Join-Path $script:Work 'store'
        $env:PSCONTAINER_RUNROOT = Join-Path $script:Work 'run'
    }

    It 'pulls an image pushed by Publish-Image and runs it' {
        $image = Receive-Image $script:Busy
        $image.Repository | Should -Be "$($script:Plain.Host)/pull/busybox"
        $image.Tag | Should -Be '1'
        $image.RepoDigests | Should -HaveCount 1
        Invoke-Container $script:Busy echo, pulled | Should -Be 'pulled'
    }

    It 'pulls again without fetching anything and keeps one image' {
        Receive-Image $script:Busy | Out-Null
        @(Get-Image | Where-Object Repository -eq "$($script:Plain.Host)/pull/busybox").Count | Should -Be 1
    }

    It 'runs an image of 111 layers pushed by skopeo (overlay options beyond one page)' {
        $layout = Join-Path $script:Work 'layered'
        New-LayeredLayout -Path $layout -Count 110
        $reference = "$($script:Plain.Host)/pull/layered:111"
        Invoke-Skopeo copy --quiet --dest-tls-verify=false "oci:${layout}:layered" "docker://$reference" | Out-Null
        $image = Receive-Image $reference
        $image.LayerCount | Should -Be 111
        Invoke-Container $reference cat, /layers/1.txt, /layers/110.txt | Should -Be @('layer 1', 'layer 110')
    }

    It 'reports a missing tag as ManifestUnknown' {
        { Receive-Image "$($script:Plain.Host)/pull/busybox:absent" -ErrorAction Stop } | Should -Throw -ErrorId 'ManifestUnknown,PSContainer.Commands.Images.ReceiveImageCommand'
    }

    It 'reports a malformed reference as InvalidReference' {
        { Receive-Image 'UPPER/Case' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidReference,PSContainer.Commands.Images.ReceiveImageCommand'
    }
}
