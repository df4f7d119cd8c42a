"""Configuration of the channel service (the shared settings plus its own)."""

from __future__ import annotations

from pydantic import Field, model_validator

from lingxi_common.settings import ServiceSettings

# The simulators' default ports (see tools/simulators); `lingxi up` starts them there.
DEV_SEED_ACCOUNTS = (
    '[{"account_id": "tencent_sms_main", "channel": "CHANNEL_SMS", "provider": "tencent_sms",'
    ' "endpoint": "127.0.0.1:18101", "sms_signature": "【灵犀证券】", "failover_order": 1, "enabled": true},'
    ' {"account_id": "aliyun_sms_backup", "channel": "CHANNEL_SMS", "provider": "aliyun_sms",'
    ' "endpoint": "127.0.0.1:18102", "sms_signature": "【灵犀证券】", "failover_order": 2, "enabled": true},'
    ' {"account_id": "jpush_app", "channel": "CHANNEL_APP_PUSH", "provider": "jpush",'
    ' "endpoint": "127.0.0.1:18103", "failover_order": 1, "enabled": true},'
    ' {"account_id": "wechat_oa_main", "channel": "CHANNEL_WECHAT_OA", "provider": "wechat_oa",'
    ' "endpoint": "127.0.0.1:18104", "failover_order": 1, "enabled": true},'
    ' {"account_id": "wechat_mini_main", "channel": "CHANNEL_WECHAT_MINI", "provider": "wechat_mini",'
    ' "endpoint": "127.0.0.1:18104", "failover_order": 1, "enabled": true},'
    ' {"account_id": "call_center_main", "channel": "CHANNEL_CALL", "provider": "call",'
    ' "endpoint": "127.0.0.1:18105", "failover_order": 1, "enabled": true},'
    ' {"account_id": "wecom_main", "channel": "CHANNEL_WECOM", "provider": "wecom",'
    ' "endpoint": "127.0.0.1:18107", "failover_order": 1, "enabled": true}]'
)


class ChannelSettings(ServiceSettings):
    """Settings of the channel service."""

    tag_address: str = Field(
        default="127.0.0.1:50051", description="host:port of the tag service (addresses)"
    )
    seed_accounts: str = Field(
        default="",
        description="JSON list of ChannelAccount (protobuf JSON) created at start-up when missing; "
        "empty in production (accounts are managed with UpsertChannelAccount)",
    )
    dispatch_batch_size: int = Field(default=200, ge=1, le=2000)
    dispatch_concurrency: int = Field(
        default=64, ge=1, le=1024, description="provider requests in flight at once (per replica)"
    )
    dispatch_workers: int = Field(
        default=2, ge=1, le=16, description="claim → call → record loops running side by side"
    )
    dispatch_max_attempts: int = Field(default=6, ge=1, le=50)
    dispatch_lease_seconds: float = Field(
        default=60.0, gt=0, description="after this a claimed message counts as stalled"
    )
    dispatch_poll_interval: float = Field(default=0.25, gt=0)
    webhook_backoff_seconds: list[float] = Field(
        default_factory=lambda: [60.0, 300.0, 1800.0, 7200.0, 21600.0, 43200.0],
        description="Delay before each further webhook attempt (the last one is followed by the DLQ)",
    )
    webhook_burst_attempts: int = Field(
        default=3, ge=1, le=10, description="quick retries within one attempt"
    )
    webhook_poll_interval: float = Field(
        default=0.25, gt=0, description="how often the webhook deliverer looks for due deliveries"
    )
    webhook_burst_wait: float = Field(
        default=0.5, gt=0, description="base of the quick retries' exponential wait"
    )
    wecom_result_interval: float = Field(
        default=30.0,
        gt=0,
        description="first wait before asking WeCom for a task's result; doubles per check up to 30 min",
    )
    wecom_result_max_wait_hours: float = Field(
        default=72.0,
        gt=0,
        description="a WeCom task the advisor has not sent after this long is recorded FAILED",
    )

    @model_validator(mode="after")
    def _simulators_in_development(self) -> ChannelSettings:
        """In development (`lingxi up`) sends go to the local simulators unless told otherwise."""
        if not self.seed_accounts and self.environment == "development":
            object.__setattr__(self, "seed_accounts", DEV_SEED_ACCOUNTS)
        return self

    policy_json: str = Field(
        default="",
        description="Version 1 of the contact policy in a new database, as overrides of the baseline in "
        "JSON: timezone, global_marketing_per_day/_week, caps [{channel, message_class, per_day, "
        "per_week}], quiet_hours [{channel, start, end}]; later versions come from UpdateContactPolicy",
    )
    policy_refresh_seconds: float = Field(
        default=2.0, gt=0, le=300, description="how often a replica re-reads the newest policy version"
    )
