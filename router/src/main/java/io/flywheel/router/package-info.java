/**
 * The request router (paper sections 3 and 4.5): the DynamoDB API as a plain Java interface,
 * independent of HTTP, so the HTTP front end and the simulator drive the same code.
 *
 * <p>Steps of every data-plane request: validate it against DynamoDB's rules and the table's
 * schema ({@link io.flywheel.router.TableRequests}, {@link io.flywheel.router.ItemRequests}); look
 * the table up in the metadata service; find the partition that owns the key's hash; send the
 * request to the partition's leader (writes, strongly consistent reads) or a replica (eventually
 * consistent reads) with the partition's epoch; on a typed routing failure, refresh and retry
 * within {@link io.flywheel.router.RouterConfig#routingRetriesMax()}; account the consumed
 * capacity.
 *
 * <p>Transactions (DESIGN.md section 8): {@link io.flywheel.router.TransactionCoordinator} runs
 * TransactWriteItems as two-phase commit over the partition leaders with timestamp ordering and a
 * durable ledger record per transaction (in an internal table), and TransactGetItems as two rounds
 * of versioned reads; its documentation gives the steps and the recovery rules.
 *
 * <p>Rules: invalid requests fail before anything is sent, so they change nothing; a write is
 * retried only on a routing failure, which a storage node returns before proposing anything.
 */
package io.flywheel.router;
