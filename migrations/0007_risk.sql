CREATE TABLE `risk_events` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`client_id` text,
	`decision` text NOT NULL,
	`score` integer NOT NULL,
	`reasons` text NOT NULL,
	`signals` text NOT NULL,
	`ip` text,
	`country` text,
	`city` text,
	`device` text,
	`factor` text NOT NULL,
	`session_id` text,
	`report_token_hash` text,
	`report_expires_at` integer,
	`reported_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `risk_events_user` ON `risk_events` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `risk_events_created` ON `risk_events` (`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `risk_events_report_token` ON `risk_events` (`report_token_hash`);